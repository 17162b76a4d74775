// connection_pool.hpp: a bounded pool of libpqxx connections, each set up for the store's schema.
//
// Connections are made lazily, up to `size`, outside the pool's lock. A caller borrows one with
// acquire() and gives it back by destroying the Lease. A connection that broke is never handed out
// again: the Lease drops it (lost()), together with every idle one, since a lost connection
// usually means the server restarted and the idle ones are dead too. So is an idle connection
// that the server ended while it waited in the pool (closed_by_server()): found before anything
// is sent on it, so that an append never goes out on a connection known to be dead, where its
// outcome would be unknown. libpqxx's own silent
// reconnection is switched off: a fresh connection always goes through setup().
//
// Thread safety: acquire() from any number of threads; a Lease belongs to one thread.
#ifndef EVENTSTORE_PLUGINS_POSTGRES_CONNECTION_POOL_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_CONNECTION_POOL_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/connection>
#include <pqxx/errorhandler>

#include "eventstore/deadline.hpp"
#include "eventstore/status.hpp"
#include "pg_errors.hpp"

namespace eventstore::postgres {

struct SessionSettings {
    std::string dsn;
    std::string schema;                 // becomes the search_path
    uint32_t statement_timeout_ms = 0;  // 0 = none
};

// One connection, its notices silenced (they would go to stderr), its session set up, and the
// store's statements (statements.hpp) declared for preparing.
class Session {
public:
    // Connects and sets up; throws libpqxx's exceptions (pqxx::broken_connection when the server
    // cannot be reached).
    explicit Session(const SessionSettings& settings);
    pqxx::connection& connection() { return connection_; }

    // Makes the session's statement_timeout end the next statements by `deadline`: the
    // settings' timeout, or the time left when that is sooner. A call without a tight deadline
    // costs nothing; one with a tight deadline costs one round trip (a SET outside any
    // transaction, so no rollback undoes it). Throws libpqxx's exceptions.
    void bound_statements(const Deadline& deadline);

    // True when the server ended this idle session (its goodbye or the end of the connection is
    // waiting to be read: an idle session is sent nothing else). Sends nothing, waits for nothing.
    bool closed_by_server() const;

private:
    pqxx::connection connection_;
    pqxx::quiet_errorhandler quiet_;
    const uint32_t default_timeout_ms_;
    uint32_t timeout_ms_;  // what the session has now
};

class ConnectionPool {
public:
    // How long acquire() waits for a busy pool before giving up with UNAVAILABLE.
    static constexpr std::chrono::seconds kAcquireTimeout{10};

    ConnectionPool(SessionSettings settings, uint32_t size);

    class Lease {
    public:
        Lease(ConnectionPool* pool, std::unique_ptr<Session> session)
            : pool_(pool), session_(std::move(session)) {}
        Lease(Lease&&) = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        pqxx::connection& operator*() { return session_->connection(); }
        Session& session() { return *session_; }
        // The connection broke: drop it and every idle one instead of giving it back.
        void lost();

    private:
        ConnectionPool* pool_;
        std::unique_ptr<Session> session_;
    };

    // A connection, or UNAVAILABLE (naming the cause) when none can be made or freed within
    // kAcquireTimeout, or DEADLINE_EXCEEDED when `deadline` comes first.
    Result<Lease> acquire(const Deadline& deadline = {});

private:
    void give_back(std::unique_ptr<Session> session);
    void forget(bool drop_idle);

    const SessionSettings settings_;
    const uint32_t size_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Session>> idle_;
    uint32_t open_ = 0;  // idle + lent + being connected
};

// Runs `work(connection)` (returning Status or Result<T>) on a connection borrowed from `pool`,
// its statements bounded by `deadline` (Session::bound_statements). When the connection turns out
// to be lost with nothing committed (before anything was sent, or in a transaction that had not
// committed), runs it once more on a fresh connection; an outcome unknown (pqxx::in_doubt_error,
// pg_errors.hpp) is never run again. Every exception becomes a Status naming
// `doing` (pg_errors.hpp); one after the deadline passed, DEADLINE_EXCEEDED.
template <class Work>
auto with_connection(ConnectionPool& pool, const std::string& doing, const Deadline& deadline,
                     Work&& work) -> decltype(work(std::declval<pqxx::connection&>())) {
    for (int attempt = 1;; ++attempt) {
        auto lease = pool.acquire(deadline);
        if (!lease.ok()) return lease.status();
        try {
            lease.value().session().bound_statements(deadline);
            return work(*lease.value());
        } catch (...) {
            const bool lost = current_exception_is_lost_connection();
            if (lost) lease.value().lost();
            if (deadline.passed()) return status_after_deadline(doing);
            if (!(lost && attempt == 1)) return status_from_current_exception(doing);
        }
    }
}

}  // namespace eventstore::postgres

#endif
