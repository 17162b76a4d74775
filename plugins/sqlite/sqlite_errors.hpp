// sqlite_errors.hpp: SQLite's result codes turned into the plugin's Status, at the edge.
//
// Inside the plugin a failed SQLite call throws SqliteError (connection.hpp does); the store's
// methods catch it and return status_of(). Every message names the database file and says what to
// do, e.g. "sqlite: /var/lib/eventstore/events.db: append: database or disk is full; free disk
// space or raise options.max_bytes (nothing of this call was written)".
//
//   SQLITE_BUSY, SQLITE_LOCKED    -> UNAVAILABLE: another process holds the file's lock
//   SQLITE_FULL                   -> RESOURCE_EXHAUSTED: the disk or options.max_bytes is full
//   SQLITE_READONLY, SQLITE_PERM,
//   SQLITE_CANTOPEN, SQLITE_AUTH  -> FAILED_PRECONDITION: the file or its directory is not writable
//   SQLITE_NOTADB                 -> FAILED_PRECONDITION: the file is not an SQLite database
//   SQLITE_CORRUPT                -> INTERNAL: the file is damaged; restore a backup
//   SQLITE_IOERR                  -> UNAVAILABLE: the disk failed the call
//   SQLITE_INTERRUPT              -> DEADLINE_EXCEEDED: the call's deadline ended it
//   SQLITE_CONSTRAINT             -> ALREADY_EXISTS: a row that must be unique is stored already
//   anything else                 -> INTERNAL with SQLite's message
#ifndef EVENTSTORE_PLUGINS_SQLITE_SQLITE_ERRORS_HPP
#define EVENTSTORE_PLUGINS_SQLITE_SQLITE_ERRORS_HPP

#include <exception>
#include <string>

#include "eventstore/status.hpp"

namespace eventstore::sqlite {

// A failed SQLite call: its extended result code and SQLite's message for it.
class SqliteError : public std::exception {
public:
    SqliteError(int code, std::string message) : code_(code), message_(std::move(message)) {}
    int code() const { return code_; }
    const char* what() const noexcept override { return message_.c_str(); }

private:
    int code_;
    std::string message_;
};

// The Status for `error`, met while `doing` ("append", "open") on the database file `path`.
Status status_of(const SqliteError& error, const std::string& path, const std::string& doing);

// Runs `body` (returning Status or Result<T>), turning a SqliteError into status_of().
template <class Body>
auto guard(const std::string& path, const std::string& doing, Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const SqliteError& error) {
        return status_of(error, path, doing);
    }
}

}  // namespace eventstore::sqlite

#endif
