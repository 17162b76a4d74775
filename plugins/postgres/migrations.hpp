// migrations.hpp: the schema migrations the plugin carries, and how they are applied.
//
// Each migration is a file plugins/postgres/migrations/NNNN_name.sql, embedded at build time
// (cmake/EmbedMigrations.cmake). Numbers run 1, 2, 3... Applied ones are recorded in the table
// <schema>.schema_version (version, name, applied_at). The SQL names its tables without a schema:
// it runs with search_path set to the store's schema.
//
// migrate() runs in one transaction under a transaction-level advisory lock keyed by the schema,
// so concurrent servers opening one database apply each migration once, and a server never sees
// a half-migrated schema.
#ifndef EVENTSTORE_PLUGINS_POSTGRES_MIGRATIONS_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_MIGRATIONS_HPP

#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "eventstore/status.hpp"
#include "postgres_options.hpp"

namespace eventstore::postgres {

struct Migration {
    int version;
    const char* name;
    std::string_view sql;
};

// Every migration of this build, in order (generated code).
const std::vector<Migration>& embedded_migrations();

// What migrate() found and did.
struct MigrationOutcome {
    int found_version = 0;   // the database's version before
    int applied = 0;         // how many migrations were applied now
};

// Brings `schema` up to the last of `migrations` (mode auto), or checks that it is there (check);
// off does nothing. FAILED_PRECONDITION when the database is newer than `migrations` know, or
// (check) when it misses some; other failures as pg_errors.hpp maps them.
Result<MigrationOutcome> migrate(pqxx::connection& connection, const std::string& schema,
                                 MigrateMode mode, const std::vector<Migration>& migrations);

}  // namespace eventstore::postgres

#endif
