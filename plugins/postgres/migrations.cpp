#include "migrations.hpp"

#include <pqxx/transaction>

#include "pg_errors.hpp"

namespace eventstore::postgres {

namespace {

// The advisory lock's first key: "ES" + 1, so it does not collide with other applications' locks;
// the second key is hashtext(schema).
constexpr int kAdvisoryLockClass = 0x45530001;

Status refuse(const std::string& message) {
    return Status(Code::failed_precondition, "postgres: " + message);
}

}  // namespace

Result<MigrationOutcome> migrate(pqxx::connection& connection, const std::string& schema,
                                 MigrateMode mode, const std::vector<Migration>& migrations) {
    if (mode == MigrateMode::off) return MigrationOutcome{};
    return guard("migrate schema '" + schema + "'", [&]() -> Result<MigrationOutcome> {
        pqxx::work tx(connection);
        tx.exec_params("SELECT pg_advisory_xact_lock($1, hashtext($2))", kAdvisoryLockClass,
                       schema);
        tx.exec("SET LOCAL statement_timeout TO 0");  // a migration may take its time
        const std::string quoted = tx.quote_name(schema);
        const bool has_table =
            !tx.exec_params1("SELECT to_regclass($1) IS NULL", quoted + ".schema_version")[0]
                 .as<bool>();
        const int latest = migrations.empty() ? 0 : migrations.back().version;
        MigrationOutcome outcome;
        if (has_table) {
            outcome.found_version =
                tx.exec1("SELECT coalesce(max(version), 0) FROM " + quoted + ".schema_version")[0]
                    .as<int>();
        }
        if (outcome.found_version > latest) {
            return refuse("the database schema '" + schema + "' is at version " +
                          std::to_string(outcome.found_version) +
                          ", newer than this plugin knows (" + std::to_string(latest) +
                          "); use a newer plugin");
        }
        if (outcome.found_version == latest) return outcome;
        if (mode == MigrateMode::check) {
            return refuse("the database schema '" + schema + "' is at version " +
                          std::to_string(outcome.found_version) + " and needs migrations " +
                          std::to_string(outcome.found_version + 1) + " to " +
                          std::to_string(latest) +
                          " (options.migrate is check; set it to auto, or run "
                          "eventstore-postgres-migrate)");
        }
        tx.exec("CREATE SCHEMA IF NOT EXISTS " + quoted + "; SET LOCAL search_path TO " + quoted +
                "; CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, "
                "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        for (const Migration& migration : migrations) {
            if (migration.version <= outcome.found_version) continue;
            tx.exec(std::string(migration.sql));
            tx.exec_params("INSERT INTO schema_version (version, name) VALUES ($1, $2)",
                           migration.version, migration.name);
            ++outcome.applied;
        }
        tx.commit();
        return outcome;
    });
}

}  // namespace eventstore::postgres
