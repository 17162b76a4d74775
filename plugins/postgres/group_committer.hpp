// group_committer.hpp: concurrent appends share transactions (group commit), decided on the
// committer's own threads, so that no caller waits for a commit (ABI 1.4 append_async).
//
// A caller queues its append and returns. kMaxGroupsInFlight committer threads take the queued
// appends as groups (in arrival order, up to kMaxGroupEvents events and kMaxGroupBytes bytes,
// leaving for a later group any append that shares an event id with one already taken), run each
// group as one transaction (appender.hpp: in one statement when it can, else the careful way) on
// a pooled connection, and complete every member, after one commit notification for the group.
// Appends that arrive meanwhile form the next group, so the group grows with the load. Two groups
// in flight do not reorder anything: each takes the head row lock (appender.hpp) and the second
// waits for the first's commit there; what they gain is that the second is already sent, planned
// and waiting when the first commits (100-event appends: 0.66x -> 0.92x of pgbench,
// docs/postgres-backend.md). An event id in both groups is a race the appender already decides (a
// unique violation, then the careful way), as between server processes. Before taking a group a
// committer gathers: it waits until as many appends are queued as there were in flight and
// queued when the last group ended (those callers are likely to append again at once), but no
// longer than half the last group's run time, and at most kMaxGatherWindow. A lone caller never
// waits: it was alone the last time too.
//
// Deadlines (plugin.h): an expiry thread completes every queued append whose deadline passes
// before a group takes it with DEADLINE_EXCEEDED (nothing written); a group's statements are
// bounded by the latest deadline of its members.
//
// Each member keeps its own verdict. A group whose transaction fails for any reason other than
// a lost database (one member's text PostgreSQL refuses, races lost too often) runs again one
// member per transaction, so that a bad append fails alone and never its neighbours. A lost
// database fails the whole group with UNAVAILABLE.
//
// Thread safety: append() from any number of threads; stop() once (the destructor calls it).
#ifndef EVENTSTORE_PLUGINS_POSTGRES_GROUP_COMMITTER_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_GROUP_COMMITTER_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "appender.hpp"
#include "connection_pool.hpp"
#include "eventstore/plugin.hpp"

namespace eventstore::postgres {

class GroupCommitter {
public:
    static constexpr uint64_t kMaxGroupEvents = 10000;
    static constexpr uint64_t kMaxGroupBytes = 16u * 1024 * 1024;
    // How often a group runs again after losing a race before it splits up.
    static constexpr int kMaxAttempts = 3;
    static constexpr std::chrono::milliseconds kMaxGatherWindow{5};
    // Groups whose transactions run at once, on connections of their own: while one commits,
    // the next is sent and waits for the head row, so no round trip separates them.
    static constexpr int kMaxGroupsInFlight = 2;

    // Told the highest position a group wrote, once per group, before its members complete.
    using Committed = std::function<void(uint64_t head)>;

    // `pool` and `appender` must outlive this committer. Starts its threads.
    GroupCommitter(ConnectionPool& pool, const Appender& appender, Committed committed);
    ~GroupCommitter() { stop(); }
    GroupCommitter(const GroupCommitter&) = delete;
    GroupCommitter& operator=(const GroupCommitter&) = delete;

    // Queues `request` (validated; check_storable passed; valid until `done`) for the next group.
    void append(const es_append_request& request, plugin::AppendDone done);

    // Lets the groups in flight finish, completes every queued append with UNAVAILABLE (nothing
    // written) and joins the threads. Later appends complete with UNAVAILABLE at once.
    void stop();

private:
    struct Queued {
        explicit Queued(plugin::AppendDone done) : done(std::move(done)) {}
        PendingAppend append;
        es_append_result result;
        plugin::AppendDone done;
    };

    void commit_groups();
    void expire_queued();
    // Waits, up to gather_window_, until expected_ appends are queued; needs mutex_ (`lock`).
    void gather(std::unique_lock<std::mutex>& lock);
    // Takes the next group off the queue; needs mutex_.
    std::vector<std::unique_ptr<Queued>> take_group();
    // Decides every member of `group`; no lock held.
    void run_group(const std::vector<PendingAppend*>& group);
    // Completes the members of a decided group.
    void complete(std::vector<std::unique_ptr<Queued>>& group);

    ConnectionPool& pool_;
    const Appender& appender_;
    const Committed committed_;
    std::mutex mutex_;
    std::condition_variable queued_;   // an append was queued, or stopping_
    std::condition_variable arrived_;  // an append was queued while gathering_
    std::condition_variable expiry_;   // an earlier deadline was queued, or stopping_
    std::deque<std::unique_ptr<Queued>> queue_;  // waiting appends, arrival order; mutex_
    bool gathering_ = false;                     // a committer waits in gather(); mutex_
    bool stopping_ = false;                      // mutex_
    size_t expected_ = 0;                        // appends to wait for; mutex_
    std::chrono::steady_clock::duration gather_window_{};                  // mutex_
    Deadline::Clock::time_point next_expiry_ = Deadline::Clock::time_point::max();  // mutex_
    std::vector<std::thread> threads_;
};

}  // namespace eventstore::postgres

#endif
