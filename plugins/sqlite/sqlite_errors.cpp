#include "sqlite_errors.hpp"

#include <sqlite3.h>

namespace eventstore::sqlite {

namespace {

struct Mapping {
    Code code;
    const char* advice;
};

Mapping mapping_of(int primary) {
    switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return {Code::unavailable,
                "another process holds a lock on the file (a sqlite3 shell or a backup in a "
                "transaction?); end it, then retry"};
    case SQLITE_FULL:
        return {Code::resource_exhausted,
                "free disk space or raise options.max_bytes (nothing of this call was written)"};
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_CANTOPEN:
        return {Code::failed_precondition,
                "the server writes the file and, beside it, its -wal and -shm files: give the "
                "user it runs as write access to the file and its directory"};
    case SQLITE_NOTADB:
        return {Code::failed_precondition,
                "the file is not an SQLite database; point options.path at an event store "
                "database or at a new file"};
    case SQLITE_CORRUPT:
        return {Code::internal,
                "the file is damaged; stop the server and restore the last backup "
                "(docs/sqlite-backend.md, \"Backup\")"};
    case SQLITE_IOERR:
        return {Code::unavailable, "the disk failed the call; check the system log, then retry"};
    case SQLITE_INTERRUPT:
        return {Code::deadline_exceeded, "the call's deadline passed (nothing was written)"};
    case SQLITE_CONSTRAINT:
        return {Code::already_exists, "a row that must be unique is stored already"};
    default:
        return {Code::internal, "an unexpected SQLite failure"};
    }
}

}  // namespace

Status status_of(const SqliteError& error, const std::string& path, const std::string& doing) {
    const Mapping mapping = mapping_of(error.code() & 0xff);
    return Status(mapping.code,
                  "sqlite: " + path + ": " + doing + ": " + error.what() + "; " + mapping.advice);
}

}  // namespace eventstore::sqlite
