#include "connection_pool.hpp"

#include <algorithm>
#include <limits>

#include <poll.h>

#include <pqxx/nontransaction>

#include "pg_errors.hpp"
#include "statements.hpp"

namespace eventstore::postgres {

Session::Session(const SessionSettings& settings)
    : connection_(settings.dsn),
      quiet_(connection_),
      default_timeout_ms_(settings.statement_timeout_ms),
      timeout_ms_(settings.statement_timeout_ms) {
#include <pqxx/internal/ignore-deprecated-pre.hxx>
    connection_.inhibit_reactivation(true);
#include <pqxx/internal/ignore-deprecated-post.hxx>
    pqxx::nontransaction setup(connection_);
    setup.exec("SET client_encoding TO 'UTF8'; SET client_min_messages TO warning; "
               "SET plan_cache_mode TO force_generic_plan; "
               "SET search_path TO " + setup.quote_name(settings.schema) +
               "; SET statement_timeout TO " + std::to_string(settings.statement_timeout_ms));
    setup.commit();
    // Prepared lazily, on first use: a statement is parsed and planned once per connection.
    for (const sql::Statement& statement : sql::kAll) {
        connection_.prepare(statement.name, statement.text);
    }
}

void Session::bound_statements(const Deadline& deadline) {
    const auto fallback = std::chrono::milliseconds(
        default_timeout_ms_ == 0 ? std::numeric_limits<uint32_t>::max() : default_timeout_ms_);
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline.left_or(fallback));
    // 0 would switch the timeout off; a passed deadline gets the shortest one instead.
    const uint32_t wanted = left < fallback
                                ? static_cast<uint32_t>(std::max<int64_t>(left.count(), 1))
                                : default_timeout_ms_;
    if (wanted == timeout_ms_) return;
    pqxx::nontransaction(connection_).exec("SET statement_timeout TO " + std::to_string(wanted));
    timeout_ms_ = wanted;
}

bool Session::closed_by_server() const {
    pollfd ready{connection_.sock(), POLLIN, 0};
    return ready.fd < 0 || poll(&ready, 1, 0) != 0;
}

ConnectionPool::ConnectionPool(SessionSettings settings, uint32_t size)
    : settings_(std::move(settings)), size_(size) {}

Result<ConnectionPool::Lease> ConnectionPool::acquire(const Deadline& deadline) {
    std::vector<std::unique_ptr<Session>> ended;  // closed outside the lock, when this returns
    {
        std::unique_lock lock(mutex_);
        const bool available = freed_.wait_until(lock, deadline.within(kAcquireTimeout), [&] {
            return !idle_.empty() || open_ < size_;
        });
        if (!available && deadline.passed()) {
            return Status(Code::deadline_exceeded,
                          "postgres: the call's deadline passed while waiting for one of the " +
                              std::to_string(size_) +
                              " pooled connections (options.pool_size); nothing was done");
        }
        if (!available) {
            return Status(Code::unavailable,
                          "postgres: all " + std::to_string(size_) +
                              " connections of the pool stayed busy for " +
                              std::to_string(kAcquireTimeout.count()) + " s (options.pool_size)");
        }
        if (!idle_.empty()) {
            std::unique_ptr<Session> session = std::move(idle_.back());
            idle_.pop_back();
            if (!session->closed_by_server()) return Lease(this, std::move(session));
            // Ended by the server (a restart, most likely): so are the others that waited.
            ended.swap(idle_);
            ended.push_back(std::move(session));
            open_ -= static_cast<uint32_t>(ended.size());
        }
        ++open_;
    }
    // Connecting takes a round trip or more: done without the lock.
    try {
        return Lease(this, std::make_unique<Session>(settings_));
    } catch (...) {
        forget(false);
        return status_from_current_exception("connect");
    }
}

void ConnectionPool::give_back(std::unique_ptr<Session> session) {
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(session));
    }
    freed_.notify_one();
}

void ConnectionPool::forget(bool drop_idle) {
    std::vector<std::unique_ptr<Session>> dropped;
    {
        std::lock_guard lock(mutex_);
        --open_;
        if (drop_idle) {
            open_ -= static_cast<uint32_t>(idle_.size());
            dropped.swap(idle_);
        }
    }
    freed_.notify_all();
    // `dropped` closes its connections here, outside the lock.
}

ConnectionPool::Lease::~Lease() {
    if (session_ == nullptr) return;  // moved from, or lost()
    if (session_->connection().is_open()) {
        pool_->give_back(std::move(session_));
    } else {
        session_.reset();
        pool_->forget(true);
    }
}

void ConnectionPool::Lease::lost() {
    if (session_ == nullptr) return;
    session_.reset();
    pool_->forget(true);
}

}  // namespace eventstore::postgres
