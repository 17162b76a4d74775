#include "migrations.hpp"

namespace eventstore::sqlite {

namespace {

int64_t pragma(Connection& connection, const char* sql) {
    Query query(connection, sql);
    return query.step() ? query.integer(0) : 0;
}

}  // namespace

Result<int> check_database(Connection& connection, const std::string& path,
                           const std::vector<Migration>& migrations) {
    const int64_t application_id = pragma(connection, "PRAGMA application_id");
    const int64_t objects = pragma(connection, "SELECT count(*) FROM sqlite_schema");
    const int found = static_cast<int>(pragma(connection, "PRAGMA user_version"));
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    if (application_id != kApplicationId && (application_id != 0 || objects != 0)) {
        return Status(Code::failed_precondition,
                      "sqlite: " + path +
                          ": the file is an SQLite database, but not an event store's "
                          "(application_id " + std::to_string(application_id) + ", " +
                          std::to_string(objects) +
                          " schema objects); point options.path at an event store database or "
                          "at a new file");
    }
    if (found > latest) {
        return Status(Code::failed_precondition,
                      "sqlite: " + path + ": the database is at schema version " +
                          std::to_string(found) + ", newer than this plugin knows (" +
                          std::to_string(latest) + "); use the sqlite plugin of a newer eventstored");
    }
    return found;
}

Result<MigrationOutcome> migrate(Connection& connection, const std::string& path,
                                 const std::vector<Migration>& migrations) {
    connection.exec("BEGIN IMMEDIATE");
    try {
        const Result<int> found = check_database(connection, path, migrations);
        if (!found.ok()) {
            connection.exec("ROLLBACK");
            return found.status();
        }
        MigrationOutcome outcome;
        outcome.found_version = found.value();
        const int latest = migrations.empty() ? 0 : migrations.back().version;
        for (const Migration& migration : migrations) {
            if (migration.version <= outcome.found_version) continue;
            connection.exec(std::string(migration.sql));
            ++outcome.applied;
        }
        if (outcome.applied > 0) {
            connection.exec("PRAGMA application_id = " + std::to_string(kApplicationId) +
                            "; PRAGMA user_version = " + std::to_string(latest));
        }
        connection.exec("COMMIT");
        return outcome;
    } catch (...) {
        sqlite3_exec(connection.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

}  // namespace eventstore::sqlite
