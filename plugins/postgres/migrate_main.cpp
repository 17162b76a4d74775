// eventstore-postgres-migrate: applies the postgres backend's migrations without serving.
//
//   eventstore-postgres-migrate --config FILE [--check]
//
// FILE is an eventstored configuration (its backend.options are used), or a file whose `options`
// mapping, or whole content, holds the backend's options (as eventstore-conformance --config).
// The options are those of the plugin (docs/postgres-backend.md); `migrate` is ignored: the
// tool applies the migrations, or with --check only reports whether any are missing.
// Exit status: 0 when the schema is at this build's version, 1 otherwise, 2 on a usage error.
//
// Like the plugin, the tool is built from the plugin's own code and the plugin API alone: it
// neither loads the plugin through the server's loader nor reads the file with the server's
// config code. Of the file it knows only where the options sit (the three places above).
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <boost/program_options.hpp>
#include <yaml-cpp/yaml.h>

#include "connection_pool.hpp"
#include "migrations.hpp"
#include "pg_errors.hpp"
#include "postgres_options.hpp"

namespace {

using namespace eventstore;
using namespace eventstore::postgres;
namespace po = boost::program_options;

constexpr int kExitUsage = 2;

struct CommandLine {
    std::string config;
    bool check = false;
    bool help = false;
};

po::options_description describe(CommandLine& line) {
    po::options_description options("options");
    options.add_options()
        ("config", po::value(&line.config)->value_name("FILE"),
         "the eventstored configuration (its backend.options) or a file holding the options")
        ("check", po::bool_switch(&line.check), "apply nothing; exit 1 when migrations are missing")
        ("help,h", po::bool_switch(&line.help), "print this help and exit");
    return options;
}

std::string usage() {
    CommandLine ignored;
    std::ostringstream out;
    out << "usage: eventstore-postgres-migrate --config FILE [--check]\n"
           "Applies the postgres backend's migrations to the database FILE names (the backend.options\n"
           "of an eventstored configuration, or a file holding the options), without serving.\n"
        << describe(ignored);
    return out.str();
}

// The backend options inside `root`: backend.options, else options, else the whole document.
YAML::Node options_node(const YAML::Node& root) {
    if (root.IsMap() && root["backend"] && root["backend"]["options"]) {
        return root["backend"]["options"];
    }
    if (root.IsMap() && root["options"]) return root["options"];
    return root;
}

// The options as key/value pairs, as the plugin receives them at open. Every option of the postgres
// backend is a single value, so a list or a mapping under a key is refused, naming the key.
Result<std::vector<std::pair<std::string, std::string>>> option_pairs(const YAML::Node& options,
                                                                      const std::string& path) {
    std::vector<std::pair<std::string, std::string>> pairs;
    if (!options || options.IsNull()) return pairs;
    if (!options.IsMap()) {
        return Status(Code::invalid_argument, path + ": the backend's options must be a mapping");
    }
    for (const auto& item : options) {
        if (!item.first.IsScalar()) {
            return Status(Code::invalid_argument, path + ": an option's key must be a name");
        }
        const std::string& key = item.first.Scalar();
        if (item.second.IsNull()) {
            pairs.emplace_back(key, "");
        } else if (item.second.IsScalar()) {
            pairs.emplace_back(key, item.second.Scalar());
        } else {
            return Status(Code::invalid_argument, path + ": option " + key +
                                                      " of the postgres backend must be a single value");
        }
    }
    return pairs;
}

Result<PostgresOptions> read_options(const std::string& path, bool check) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
        return Status(Code::invalid_argument, "cannot read " + path + ": " + e.what());
    }
    auto pairs = option_pairs(options_node(root), path);
    if (!pairs.ok()) return pairs.status();
    std::erase_if(pairs.value(), [](const auto& option) { return option.first == "migrate"; });
    auto options = parse_postgres_options(pairs.value());
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
    CommandLine line;
    try {
        po::variables_map values;
        // No positional arguments: a stray word is an error, not silently ignored.
        po::store(po::command_line_parser(argc, argv).options(describe(line))
                      .positional(po::positional_options_description()).run(),
                  values);
        po::notify(values);
    } catch (const po::error& e) {
        std::cerr << "eventstore-postgres-migrate: " << e.what() << "\n" << usage();
        return kExitUsage;
    }
    if (line.help) {
        std::cout << usage();
        return 0;
    }
    if (line.config.empty()) {
        std::cerr << usage();
        return kExitUsage;
    }
    const auto options = read_options(line.config, line.check);
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
