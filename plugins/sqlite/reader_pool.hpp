// reader_pool.hpp: the connections reads use, up to `size`, made as needed outside the pool's lock.
//
// Each is a read-only view of the database (PRAGMA query_only) in WAL mode: a read sees the last
// commit made before it started and never waits for the writer. A caller borrows a connection
// with acquire() and gives it back by destroying the Lease; a caller that finds every connection
// busy waits for one, no longer than its deadline.
//
// Thread safety: acquire() from any number of threads; a Lease belongs to one thread.
#ifndef EVENTSTORE_PLUGINS_SQLITE_READER_POOL_HPP
#define EVENTSTORE_PLUGINS_SQLITE_READER_POOL_HPP

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connection.hpp"
#include "eventstore/deadline.hpp"
#include "eventstore/status.hpp"

namespace eventstore::sqlite {

class ReaderPool {
public:
    ReaderPool(std::string path, uint32_t size, uint32_t busy_timeout_ms);

    // A borrowed connection, its deadline set to the caller's.
    class Lease {
    public:
        Lease(ReaderPool& pool, std::unique_ptr<Connection> connection)
            : pool_(&pool), connection_(std::move(connection)) {}
        Lease(Lease&&) = default;
        Lease& operator=(Lease&&) = default;
        ~Lease();
        Connection& operator*() { return *connection_; }

    private:
        ReaderPool* pool_;
        std::unique_ptr<Connection> connection_;
    };

    // A connection, or DEADLINE_EXCEEDED when none was free before `deadline`. Opening a new one
    // may throw SqliteError.
    Result<Lease> acquire(const Deadline& deadline);

    // Closes the idle connections; leased ones close when given back.
    void close();

private:
    void give_back(std::unique_ptr<Connection> connection);

    const std::string path_;
    const uint32_t size_;
    const uint32_t busy_timeout_ms_;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<Connection>> idle_;  // mutex_
    uint32_t open_ = 0;                              // made and not closed; mutex_
    bool closed_ = false;                            // mutex_
};

}  // namespace eventstore::sqlite

#endif
