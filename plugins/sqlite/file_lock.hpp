// file_lock.hpp: the claim of one process on a database file, so that one writer at a time writes
// it.
//
// The writer numbers positions from the head it read at open, so a second writer on the same file
// would hand out the same positions. A FileLock holds flock(LOCK_EX) on the database file itself;
// a second one, from another process, is refused at once. (Within a process, stores of one file
// share one Database and its one lock: database.hpp.) SQLite's own locks are fcntl() locks, which
// flock() does not touch. The lock's descriptor must be closed after every SQLite connection to
// the file (closing any descriptor of a file drops the process's fcntl() locks on it): the
// Database closes its connections first.
//
// Thread safety: none needed; created and destroyed by the Database.
#ifndef EVENTSTORE_PLUGINS_SQLITE_FILE_LOCK_HPP
#define EVENTSTORE_PLUGINS_SQLITE_FILE_LOCK_HPP

#include <memory>
#include <string>

#include "eventstore/status.hpp"

namespace eventstore::sqlite {

class FileLock {
public:
    // Locks `path` (which exists). FAILED_PRECONDITION naming the file when another process holds
    // it.
    static Result<std::unique_ptr<FileLock>> take(const std::string& path);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    explicit FileLock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace eventstore::sqlite

#endif
