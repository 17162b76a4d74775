// commit_notifier.hpp: the head of the global log as the backend announces it ("committed up to
// P", raised from any thread through BackendHooks); the subscriptions' tail (tail.hpp) waits on
// it instead of polling. Closing it (at shutdown) wakes every waiter for good.
#ifndef EVENTSTORE_SERVER_COMMIT_NOTIFIER_HPP
#define EVENTSTORE_SERVER_COMMIT_NOTIFIER_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace eventstore::server {

class CommitNotifier {
public:
    // Positions may arrive out of order; the highest wins.
    void committed(uint64_t position);

    // Waits until a position above `position` is committed, the notifier is closed, wake() is
    // called, or `until`. Returns true when something above `position` is committed.
    bool wait_beyond(uint64_t position, std::chrono::steady_clock::time_point until);

    // Ends the current (or the next) wait_beyond early, for a waiter whose own state changed.
    void wake();

    // Wakes every waiter; wait_beyond returns at once from now on.
    void close();
    bool closed() const;

    uint64_t head() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    uint64_t head_ = 0;
    bool closed_ = false;
    bool woken_ = false;
};

}  // namespace eventstore::server

#endif
