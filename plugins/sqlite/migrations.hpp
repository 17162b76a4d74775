// migrations.hpp: how a database file becomes, and is recognised as, an event store database.
//
// The file's header says what it is: PRAGMA application_id is kApplicationId in an event store
// database, and PRAGMA user_version is the number of the last migration applied to it. Each
// migration is a file plugins/sqlite/migrations/NNNN_name.sql, embedded at build time
// (cmake/EmbedMigrations.cmake); numbers run 1, 2, 3...
//
// migrate() runs in one write transaction (BEGIN IMMEDIATE): a server never sees a half-migrated
// file, and a failed migration leaves the file as it was.
#ifndef EVENTSTORE_PLUGINS_SQLITE_MIGRATIONS_HPP
#define EVENTSTORE_PLUGINS_SQLITE_MIGRATIONS_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "connection.hpp"
#include "eventstore/status.hpp"

namespace eventstore::sqlite {

// "ESDB" in the database header: this file is an event store's.
inline constexpr int32_t kApplicationId = 0x45534442;

struct Migration {
    int version;
    const char* name;
    std::string_view sql;
};

// Every migration of this build, in order (generated code).
const std::vector<Migration>& embedded_migrations();

struct MigrationOutcome {
    int found_version = 0;  // the file's version before (0: a new file)
    int applied = 0;        // how many migrations were applied now
};

// The migration version of the database: 0 for a new (empty) file. FAILED_PRECONDITION, naming
// `path`, for a database of another application and for one newer than `migrations` know. Only
// reads the file, so a refused file is left as it was. SQLite's failures throw SqliteError.
Result<int> check_database(Connection& connection, const std::string& path,
                           const std::vector<Migration>& migrations);

// Makes a new (empty) database an event store database, or brings an event store database up
// to the last of `migrations`; refuses what check_database() refuses. SQLite's failures throw
// SqliteError.
Result<MigrationOutcome> migrate(Connection& connection, const std::string& path,
                                 const std::vector<Migration>& migrations);

}  // namespace eventstore::sqlite

#endif
