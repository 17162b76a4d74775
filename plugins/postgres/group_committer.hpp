// group_committer.hpp: concurrent appends share transactions (group commit).
//
// A caller queues its append and waits. While fewer than kMaxGroupsInFlight transactions of this
// store are in flight and no leader is gathering, one queued caller becomes a leader: it takes
// the queued appends (in arrival order, up to kMaxGroupEvents events and kMaxGroupBytes bytes,
// leaving for a later group any append that shares an event id with one already taken), runs
// them as one transaction (appender.hpp: in one statement when it can, else the careful way) on a
// pooled connection, and wakes everyone whose append was decided. Appends that arrive meanwhile
// form the next group, so the group grows with the load. Two groups in flight do not reorder
// anything: each takes the head row lock (appender.hpp) and the second waits for the first's
// commit there; what they gain is that the second is already sent, planned and waiting when the
// first commits (100-event appends: 0.66x -> 0.92x of pgbench, docs/postgres-backend.md). An
// event id in both groups is a race the appender already decides (a unique violation, then the
// careful way), as between server processes. Before taking a group the leader gathers: it waits until as many
// appends are queued as there were in flight and queued when the last group ended (those callers
// are likely to append again at once), but no longer than half the last group's run time, and
// at most kMaxGatherWindow. A lone caller never waits: it was alone the last time too.
//
// Deadlines (plugin.h): an append whose deadline passes while it waits in the queue leaves it
// with DEADLINE_EXCEEDED; a leader fails the members whose deadline has passed instead of taking
// them; a group's statements are bounded by the latest deadline of its members.
//
// Each member keeps its own verdict. A group whose transaction fails for any reason other than
// a lost database (one member's text PostgreSQL refuses, races lost too often) runs again one
// member per transaction, so that a bad append fails alone and never its neighbours. A lost
// database fails the whole group with UNAVAILABLE.
//
// Thread safety: append() from any number of threads.
#ifndef EVENTSTORE_PLUGINS_POSTGRES_GROUP_COMMITTER_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_GROUP_COMMITTER_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "appender.hpp"
#include "connection_pool.hpp"

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

    // `pool` and `appender` must outlive this committer.
    GroupCommitter(ConnectionPool& pool, const Appender& appender)
        : pool_(pool), appender_(appender) {}

    // Appends `request` (validated; check_storable passed) in the next group and waits for its
    // verdict, or until its deadline (request.timeout_us) while it is still queued. On OK
    // `written_head` is the last position it wrote, or 0 when it wrote nothing.
    Status append(const es_append_request& request, es_append_result& result,
                  uint64_t& written_head);

private:
    // Waits, up to gather_window_, until expected_ appends are queued; needs mutex_ (`lock`).
    void gather(std::unique_lock<std::mutex>& lock);
    // Waits while another caller leads; false when `me` left the queue at its deadline. Needs
    // mutex_ (`lock`).
    bool wait_for_turn(std::unique_lock<std::mutex>& lock, PendingAppend& me);
    // Takes the next group off the queue, failing the members whose deadline passed; needs mutex_.
    std::vector<PendingAppend*> take_group();
    // Decides every member of `group`; no lock held.
    void run_group(const std::vector<PendingAppend*>& group);

    ConnectionPool& pool_;
    const Appender& appender_;
    std::mutex mutex_;
    std::condition_variable decided_;
    std::condition_variable arrived_;   // an append was queued while gathering_
    std::deque<PendingAppend*> queue_;  // waiting appends, arrival order; mutex_
    int in_flight_ = 0;                 // group transactions in flight; mutex_
    bool gathering_ = false;            // a leader waits in gather(); mutex_
    size_t expected_ = 0;               // appends to wait for; mutex_
    std::chrono::steady_clock::duration gather_window_{};  // mutex_
};

}  // namespace eventstore::postgres

#endif
