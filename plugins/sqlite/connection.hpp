// connection.hpp: one SQLite connection (sqlite3*) with its prepared statements, and a Query on
// one of them. Every failed SQLite call throws SqliteError (sqlite_errors.hpp) with SQLite's
// extended result code and message.
//
// Waiting: a statement that meets a lock another connection holds retries until busy_timeout_ms
// has passed, or the deadline set with set_deadline() if that comes first. A statement still
// running when that deadline passes is interrupted. Either way the call throws SqliteError with
// SQLITE_INTERRUPT when it was the deadline that ended it.
//
// Thread safety: one thread at a time (connections are opened with SQLITE_OPEN_NOMUTEX).
#ifndef EVENTSTORE_PLUGINS_SQLITE_CONNECTION_HPP
#define EVENTSTORE_PLUGINS_SQLITE_CONNECTION_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

#include "eventstore/deadline.hpp"

namespace eventstore::sqlite {

class Connection {
public:
    // Opens `path` with `flags` (SQLITE_OPEN_*; NOMUTEX and extended result codes are added).
    Connection(const std::string& path, int flags, uint32_t busy_timeout_ms);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* handle() { return db_; }

    // Runs one or more statements that return no rows.
    void exec(const std::string& sql);
    // The prepared statement for `sql` (a string that lives as long as the program: statements are
    // cached by its address), prepared on first use.
    sqlite3_stmt* statement(const char* sql);

    // Bounds the waits and statements of the calls that follow (see above); Deadline() for none.
    void set_deadline(const Deadline& deadline) { deadline_ = deadline; }

    // Throws SqliteError for a result code other than SQLITE_OK, SQLITE_ROW and SQLITE_DONE.
    int check(int code);

private:
    static int on_busy(void* self, int count);
    static int on_progress(void* self);

    sqlite3* db_ = nullptr;
    const uint32_t busy_timeout_ms_;
    Deadline deadline_;
    Deadline busy_until_;  // set at the first retry of a wait
    std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

// A prepared statement in use: bind, step through its rows, read columns. Resets the statement
// and clears its bindings when destroyed. Parameters and columns are numbered as SQLite does
// (parameters from 1, columns from 0). Text is bound and stored as blobs: every byte round-trips.
class Query {
public:
    Query(Connection& connection, const char* sql)
        : connection_(connection), statement_(connection.statement(sql)) {}
    ~Query();
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    Query& bind(int index, int64_t value);
    Query& bind(int index, std::string_view bytes);
    // True while there is a row; false when the statement is done.
    bool step();
    // Runs a statement that returns no rows.
    void run();

    int64_t integer(int column) const { return sqlite3_column_int64(statement_, column); }
    bool is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
    // Valid until the next step() or the end of this query.
    std::string_view bytes(int column) const;

private:
    Connection& connection_;
    sqlite3_stmt* statement_;
};

}  // namespace eventstore::sqlite

#endif
