// commit_notifier.hpp: the host's side of the backend's "committed up to P" notification. Backends
// raise it from any thread; subscriptions wait on it instead of polling. Closing it (at shutdown)
// wakes every waiter for good.
#ifndef EVENTSTORE_SERVER_COMMIT_NOTIFIER_HPP
#define EVENTSTORE_SERVER_COMMIT_NOTIFIER_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "eventstore/loader/store.hpp"

namespace eventstore::server {

class CommitNotifier : public loader::StoreHooks {
public:
    // StoreHooks: raised by the backend. Positions may arrive out of order; the highest wins.
    void committed(uint64_t position) override;
    void log(es_log_level level, std::string_view message) override;

    // Waits until a position above `position` is committed, the notifier is closed, or `until`.
    // Returns true when something above `position` is committed.
    bool wait_beyond(uint64_t position, std::chrono::steady_clock::time_point until);

    // Wakes every waiter; wait_beyond returns at once from now on.
    void close();
    bool closed() const;

    uint64_t head() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    uint64_t head_ = 0;
    bool closed_ = false;
};

}  // namespace eventstore::server

#endif
