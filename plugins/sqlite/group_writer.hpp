// group_writer.hpp: the store's one writer. Concurrent appends share transactions (group commit).
//
// A caller queues its append and returns (ABI 1.4 append_async). The writer thread takes
// everything queued (in arrival order, up to kMaxGroupEvents events and kMaxGroupBytes bytes),
// runs it as one write transaction (BEGIN IMMEDIATE ... COMMIT: one fsync of the WAL with
// synchronous=FULL), tells `committed` the new head, and completes the members. Appends that arrive meanwhile form the next group, so a group
// grows with the load and a lone append never waits for company.
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
// Deadlines (plugin.h): the writer completes a queued append whose deadline has passed with
// DEADLINE_EXCEEDED, having written nothing, instead of taking it (when it has a group in flight,
// once that group is done: a group waits for a lock no longer than the latest deadline of its
// members, or options.busy_timeout_ms).
//
// Thread safety: append() and drain() from any number of threads; stop() once, after the last
// append.
#ifndef EVENTSTORE_PLUGINS_SQLITE_GROUP_WRITER_HPP
#define EVENTSTORE_PLUGINS_SQLITE_GROUP_WRITER_HPP

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

    // `connection`: the store's writing connection, of the database file `path` whose last
    // position is `head` and whose last recorded_at is `recorded_at_us`. Starts the writer thread.
    GroupWriter(std::unique_ptr<Connection> connection, std::string path, uint64_t head,
                int64_t recorded_at_us, std::function<void(uint64_t head)> committed);
    ~GroupWriter();

    // Queues `request` (validated; valid until `done`) for the next group.
    void append(const es_append_request& request, plugin::AppendDone done);

    // Waits until every append queued so far is completed.
    void drain();

    // Writes what is queued, then stops the thread and closes the connection; later appends get
    // UNAVAILABLE.
    void stop();

private:
    struct Pending {
        Pending(const es_append_request& request, plugin::AppendDone done)
            : request(&request), deadline(Deadline::from_timeout_us(request.timeout_us)),
              done(std::move(done)) {}
        const es_append_request* request;
        es_append_result result = abi::make_struct<es_append_result>();
        Deadline deadline;
        Status status;
        bool wrote = false;  // its events are in the group's transaction
        plugin::AppendDone done;
    };
    using Group = std::vector<std::unique_ptr<Pending>>;

    void run();
    // Takes the next group off the queue, moving the members whose deadline passed to `expired`
    // (with their status); needs mutex_.
    Group take_group(Group& expired);
    // Decides every member of `group`; on the writer thread, no lock held.
    void write_group(const Group& group);

    std::unique_ptr<Connection> connection_;  // the writer thread's only
    const std::string path_;
    uint64_t head_;           // the writer thread's only
    int64_t recorded_at_us_;  // the writer thread's only; never goes back along positions
    const std::function<void(uint64_t)> committed_;

    std::mutex mutex_;
    std::condition_variable queued_;   // the writer waits for work
    std::condition_variable idle_;     // drain() waits for the queue and the group to end
    std::deque<std::unique_ptr<Pending>> queue_;  // mutex_
    bool writing_ = false;             // a group is being written and completed; mutex_
    bool stopping_ = false;            // mutex_
    std::thread thread_;               // last: started once the rest is ready
};

}  // namespace eventstore::sqlite

#endif
