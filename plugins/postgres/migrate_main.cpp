// eventstore-postgres-migrate: applies the postgres backend's migrations without serving.
//
//   eventstore-postgres-migrate --config FILE [--check]
//
// FILE is an eventstored configuration (its backend.options are used), or a file whose `options`
// mapping, or whole content, holds the backend's options (as eventstore-conformance --config).
// The options are those of the plugin (docs/postgres-backend.md); `migrate` is ignored: the
// tool applies the migrations, or with --check only reports whether any are missing.
// Exit status: 0 when the schema is at this build's version, 1 otherwise, 2 on a usage error.
#include <iostream>
#include <string>

#include <yaml-cpp/yaml.h>

#include "connection_pool.hpp"
#include "eventstore/loader/options.hpp"
#include "migrations.hpp"
#include "pg_errors.hpp"
#include "postgres_options.hpp"

namespace {

using namespace eventstore;
using namespace eventstore::postgres;

constexpr const char* kUsage =
    "usage: eventstore-postgres-migrate --config FILE [--check]\n"
    "Applies the postgres backend's migrations to the database FILE names (the backend.options\n"
    "of an eventstored configuration, or a file holding the options), without serving.\n"
    "  --check   apply nothing; exit 1 when migrations are missing\n";

// The backend options inside `root`: backend.options, else options, else the whole document.
YAML::Node options_node(const YAML::Node& root) {
    if (root.IsMap() && root["backend"] && root["backend"]["options"]) {
        return root["backend"]["options"];
    }
    if (root.IsMap() && root["options"]) return root["options"];
    return root;
}

Result<PostgresOptions> read_options(const std::string& path, bool check) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
        return Status(Code::invalid_argument, "cannot read " + path + ": " + e.what());
    }
    auto flattened = loader::options_from_yaml(options_node(root)).options;
    std::erase_if(flattened, [](const auto& option) { return option.first == "migrate"; });
    auto options = parse_postgres_options(flattened);
    if (options.ok()) options.value().migrate = check ? MigrateMode::check : MigrateMode::automatic;
    return options;
}

Result<MigrationOutcome> run(const PostgresOptions& options) {
    return guard("migrate", [&]() -> Result<MigrationOutcome> {
        Session session(SessionSettings{
            with_parameter(options.dsn, "fallback_application_name", "eventstore-migrate"),
            options.schema, options.statement_timeout_ms});
        return migrate(session.connection(), options.schema, options.migrate,
                       embedded_migrations());
    });
}

}  // namespace

int main(int argc, char** argv) {
    std::string config;
    bool check = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--config" && i + 1 < argc) {
            config = argv[++i];
        } else if (arg == "--check") {
            check = true;
        } else if (arg == "-h" || arg == "--help") {
            std::cout << kUsage;
            return 0;
        } else {
            std::cerr << "eventstore-postgres-migrate: unexpected argument '" << arg << "'\n"
                      << kUsage;
            return 2;
        }
    }
    if (config.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    const auto options = read_options(config, check);
    if (!options.ok()) {
        std::cerr << "eventstore-postgres-migrate: " << options.status().message() << "\n";
        return 1;
    }
    const auto outcome = run(options.value());
    if (!outcome.ok()) {
        std::cerr << "eventstore-postgres-migrate: " << outcome.status().message() << "\n";
        return 1;
    }
    std::cout << "schema '" << options.value().schema << "' at version "
              << outcome.value().found_version + outcome.value().applied << " ("
              << outcome.value().applied << " migrations applied now)\n";
    return 0;
}
