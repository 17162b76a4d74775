// commit_listener.hpp: learns of commits made through other connections and processes, and
// passes each new head to a callback.
//
// A background thread keeps its own connection LISTENing on the store's channel; every append
// transaction NOTIFYs it with its last position. PostgreSQL delivers notifications in commit
// order, and appends commit in position order, so each payload is a head below which every
// position is committed. Whenever the LISTEN connection is (re)made, the head is read once, to
// cover what was missed while it was down. While it cannot be made, the thread reads the head
// through the pool every kPollInterval instead, and tries to connect again each time.
//
// Thread safety: the callback runs on the listener's thread. The destructor wakes the thread at
// once (a pipe), joins it, and so returns only when no callback runs or will run.
#ifndef EVENTSTORE_PLUGINS_POSTGRES_COMMIT_LISTENER_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_COMMIT_LISTENER_HPP

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "connection_pool.hpp"
#include "eventstore/plugin.hpp"

namespace eventstore::postgres {

class CommitListener {
public:
    static constexpr std::chrono::milliseconds kPollInterval{500};

    using OnHead = std::function<void(uint64_t head)>;

    // Starts the thread; it LISTENs on a connection of its own made with `settings`, and polls
    // through `pool`, which must outlive this listener.
    CommitListener(ConnectionPool& pool, SessionSettings settings, std::string channel,
                   plugin::Host host, OnHead on_head);
    ~CommitListener();
    CommitListener(const CommitListener&) = delete;
    CommitListener& operator=(const CommitListener&) = delete;

private:
    void run();
    // Connects, LISTENs and forwards notifications until the connection breaks (throws) or the
    // listener stops (returns).
    void listen();
    // Reads the head through the pool; false when that fails too.
    bool poll_head();
    // Waits up to `timeout` for `fd` to become readable or the stop pipe to fire; false on stop.
    bool wait_readable(int fd, std::chrono::milliseconds timeout);

    ConnectionPool& pool_;
    const SessionSettings settings_;
    const std::string channel_;
    const plugin::Host host_;
    const OnHead on_head_;
    int wake_[2] = {-1, -1};  // the stop pipe: read end, write end
    std::atomic<bool> stopping_{false};
    bool was_down_ = false;  // the thread's own: whether the last LISTEN connection failed
    std::thread thread_;
};

}  // namespace eventstore::postgres

#endif
