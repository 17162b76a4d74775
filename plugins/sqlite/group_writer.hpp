// group_writer.hpp: the store's one writer. Concurrent appends share transactions (group commit).
//
// A caller queues its append and returns (ABI 1.4 append_async). The writer thread takes
// everything queued (in arrival order, up to kMaxGroupEvents events and kMaxGroupBytes bytes),
// runs it as one write transaction (BEGIN IMMEDIATE ... COMMIT: one fsync of the WAL with
// synchronous=FULL), tells `committed` the new head, and hands the decided members to the
// completer thread, which completes them (the caller's `done`: the server answers the call from
// there) while the writer runs the next group; so a member is completed only after its group's
// COMMIT returned. Appends that arrive meanwhile form the next group, so a group grows with the
// load and a lone append never waits for company.
//
// One writer, one transaction at a time: positions are handed out in commit order, so every
// position up to a committed head is committed (the visibility rule holds by construction), and
// `committed` is called with strictly increasing heads, from the writer thread.
//
// Each member keeps its own verdict: it runs inside a savepoint of the group's transaction
// (appender.hpp), so a member that SQLite refuses (a full disk) is rolled back alone. When the
// whole transaction is lost (SQLite rolled it back, or COMMIT failed), every member that would
// have written fails with that error and nothing of the group is stored.
//
// Changes (plugin.h "Stream lifecycle": a stream's delete, tombstone, truncate, retention; the
// retention sweep) go through the same queue and run as members of a group, in their own
// savepoints, so they are ordered with the appends of their stream: an append lands before a
// change or after it. After a group that removed events the writer checkpoints the WAL into the
// file and truncates it (PRAGMA wal_checkpoint(TRUNCATE)), so the removed bytes leave the -wal
// file too (secure_delete zeroes them in the database file); a checkpoint that a reader's
// snapshot keeps from completing is tried again after each later group and sweep. Every
// kSweepInterval the writer queues `sweep`, which removes the events past their stream's
// retention (at most a batch: a full batch queues the next sweep at once).
//
// Deadlines (plugin.h): the writer completes a queued append whose deadline has passed with
// DEADLINE_EXCEEDED, having written nothing, instead of taking it (when it has a group in flight,
// once that group is done: a group waits for a lock no longer than the latest deadline of its
// members, or options.busy_timeout_ms).
//
// Thread safety: append() and drain() from any number of threads; stop() once, after the last
// append. `done`, `changed` and `committed` are called from the store's threads (the completer's
// and the writer's), never from the caller's.
#ifndef EVENTSTORE_PLUGINS_SQLITE_GROUP_WRITER_HPP
#define EVENTSTORE_PLUGINS_SQLITE_GROUP_WRITER_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connection.hpp"
#include "eventstore/abi_struct.hpp"
#include "eventstore/deadline.hpp"
#include "eventstore/plugin.hpp"
#include "eventstore/status.hpp"

namespace eventstore::sqlite {

class GroupWriter {
public:
    static constexpr uint64_t kMaxGroupEvents = 10000;
    static constexpr uint64_t kMaxGroupBytes = 16u * 1024 * 1024;
    static constexpr std::chrono::milliseconds kSweepInterval{1000};

    // A change of the file other than an append, run inside its own savepoint of a group: OK, or
    // a refusal (its writes, if any, stay), or SqliteError (its writes are rolled back). Sets
    // `removed` when it removed events.
    using Change = std::function<Status(Connection& connection, bool& removed)>;
    // The retention sweep: removes expired events, and says whether there may be more.
    using Sweep = std::function<bool(Connection& connection, bool& removed)>;

    // `connection`: the store's writing connection, of the database file `path` whose last
    // position is `head` and whose last recorded_at is `recorded_at_us`. Starts the writer and
    // completer threads.
    GroupWriter(std::unique_ptr<Connection> connection, std::string path, uint64_t head,
                int64_t recorded_at_us, std::function<void(uint64_t head)> committed, Sweep sweep);
    ~GroupWriter();

    // Queues `request` (validated; valid until `done`) for the next group.
    void append(const es_append_request& request, plugin::AppendDone done);

    // Queues `change` for the next group and waits until it is decided (by `deadline` at the
    // latest: DEADLINE_EXCEEDED when it passes before the writer takes it).
    Status change(Change change, const Deadline& deadline);

    // Waits until every append queued so far is completed.
    void drain();

    // Writes and completes what is queued, then stops the threads and closes the connection;
    // later appends get UNAVAILABLE.
    void stop();

private:
    // An append (request, done) or a change (change, changed).
    struct Pending {
        Pending(const es_append_request& request, plugin::AppendDone done)
            : request(&request), deadline(Deadline::from_timeout_us(request.timeout_us)),
              done(std::move(done)) {}
        Pending(Change change, const Deadline& deadline, std::function<void(const Status&)> changed)
            : change(std::move(change)), deadline(deadline), changed(std::move(changed)) {}
        // Hands the verdict over; ends the caller's hold on the request.
        void complete() {
            if (request != nullptr) {
                done(status, result);
            } else {
                changed(status);
            }
        }
        const es_append_request* request = nullptr;
        Change change;
        es_append_result result = abi::make_struct<es_append_result>();
        Deadline deadline;
        Status status;
        bool wrote = false;    // its events are in the group's transaction
        bool removed = false;  // a change that removed events
        plugin::AppendDone done{nullptr};
        std::function<void(const Status&)> changed;
    };
    using Group = std::vector<std::unique_ptr<Pending>>;

    // The writer thread.
    void run();
    // The completer thread: completes what the writer hands over, in the order handed over.
    void complete_groups();
    // Queues decided members for the completer; needs mutex_.
    void hand_over(Group decided);
    // Nothing queued, written or completing; needs mutex_.
    bool idle() const;
    // Takes the next group off the queue, moving the members whose deadline passed to `expired`
    // (with their status); needs mutex_.
    Group take_group(Group& expired);
    // Decides every member of `group`; on the writer thread, no lock held.
    void write_group(const Group& group);
    // What the member is, for messages: "append" or "stream change".
    static std::string what(const Pending& member);
    // Queues the sweep; needs mutex_.
    void queue_sweep();
    // PRAGMA wal_checkpoint(TRUNCATE) while a removal's bytes may be in the WAL; writer thread.
    void checkpoint();

    std::unique_ptr<Connection> connection_;  // the writer thread's only
    const std::string path_;
    uint64_t head_;           // the writer thread's only
    int64_t recorded_at_us_;  // the writer thread's only; never goes back along positions
    const std::function<void(uint64_t)> committed_;
    const Sweep sweep_;
    bool checkpoint_pending_ = false;  // the writer thread's only

    std::mutex mutex_;
    std::condition_variable queued_;   // the writer waits for work
    std::condition_variable idle_;     // drain() waits for the queue and the groups to end
    std::condition_variable handed_over_;  // the completer waits for decided members
    std::deque<std::unique_ptr<Pending>> queue_;  // mutex_
    bool writing_ = false;             // a group is being written; mutex_
    std::deque<Group> written_;        // decided, for the completer; mutex_
    bool completing_ = false;          // the completer is completing groups; mutex_
    bool written_all_ = false;         // the writer has ended; mutex_
    bool stopping_ = false;            // mutex_
    std::chrono::steady_clock::time_point next_sweep_;  // mutex_
    std::thread completer_;            // last: started once the rest is ready
    std::thread thread_;
};

}  // namespace eventstore::sqlite

#endif
