#include "group_writer.hpp"

#include <algorithm>
#include <chrono>
#include <future>

#include "appender.hpp"
#include "lifecycle.hpp"
#include "eventstore/validation.hpp"
#include "sqlite_errors.hpp"

namespace eventstore::sqlite {

namespace {

// The events and bytes a member adds to its group (a change: none).
uint64_t events_of(const es_append_request* request) {
    return request == nullptr ? 0 : request->event_count;
}
uint64_t bytes_of(const es_append_request* request) {
    uint64_t bytes = 0;
    for (size_t i = 0; i < events_of(request); ++i) {
        bytes += validation::event_size(*request->events[i]);
    }
    return bytes;
}

// Runs `sql` when SQLite still has a transaction open; a failure is dropped, since the caller is
// already reporting the failure that made it roll back.
void undo(Connection& connection, const char* sql) {
    if (sqlite3_get_autocommit(connection.handle()) == 0) {
        sqlite3_exec(connection.handle(), sql, nullptr, nullptr, nullptr);
    }
}

constexpr const char* kCheckpoint = "PRAGMA wal_checkpoint(TRUNCATE)";
// Run as prepared statements (connection.hpp): parsed once, not per group and member.
constexpr const char* kBegin = "BEGIN IMMEDIATE";
constexpr const char* kSavepoint = "SAVEPOINT member";
constexpr const char* kRelease = "RELEASE member";
constexpr const char* kRollbackMember = "ROLLBACK TO member";
constexpr const char* kCommit = "COMMIT";

// Decides the append inside the member's savepoint: its events inserted at once (appender.hpp,
// IdCheck::on_insert); when a unique index refuses one, the member's writes are rolled back and it
// is decided again with its ids looked up.
Status append_member(Connection& connection, const es_append_request& request,
                     es_append_result& result, uint64_t& head, int64_t recorded_at_us) {
    try {
        return append_in_transaction(connection, request, result, head, recorded_at_us,
                                     IdCheck::on_insert);
    } catch (const SqliteError& error) {
        if (!is_taken_id(error) || sqlite3_get_autocommit(connection.handle()) != 0) throw;
    }
    Query(connection, kRollbackMember).run();
    return append_in_transaction(connection, request, result, head, recorded_at_us,
                                 IdCheck::looked_up);
}

}  // namespace

std::string GroupWriter::what(const Pending& member) {
    return member.request != nullptr ? "append" : "stream change";
}

GroupWriter::GroupWriter(std::unique_ptr<Connection> connection, std::string path, uint64_t head,
                         int64_t recorded_at_us, std::function<void(uint64_t)> committed,
                         Sweep sweep)
    : connection_(std::move(connection)),
      path_(std::move(path)),
      head_(head),
      recorded_at_us_(recorded_at_us),
      committed_(std::move(committed)),
      sweep_(std::move(sweep)),
      next_sweep_(std::chrono::steady_clock::now() + kSweepInterval),
      completer_([this] { complete_groups(); }),
      thread_([this] { run(); }) {}

GroupWriter::~GroupWriter() { stop(); }

void GroupWriter::append(const es_append_request& request, plugin::AppendDone done) {
    auto pending = std::make_unique<Pending>(request, std::move(done));
    std::unique_lock lock(mutex_);
    if (stopping_) {
        lock.unlock();
        pending->done(Status(Code::unavailable, "sqlite: " + path_ + ": the store is closed"),
                      pending->result);
        return;
    }
    queue_.push_back(std::move(pending));
    queued_.notify_one();
}

Status GroupWriter::change(Change change, const Deadline& deadline) {
    // The promise lives with the member (the writer's), so that the caller may return as soon as
    // the verdict is set.
    auto decided = std::make_shared<std::promise<Status>>();
    std::future<Status> verdict = decided->get_future();
    auto pending = std::make_unique<Pending>(
        std::move(change), deadline, [decided](const Status& status) { decided->set_value(status); });
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return Status(Code::unavailable, "sqlite: " + path_ + ": the store is closed");
        queue_.push_back(std::move(pending));
        queued_.notify_one();
    }
    return verdict.get();
}

void GroupWriter::queue_sweep() {
    next_sweep_ = std::chrono::steady_clock::now() + kSweepInterval;
    queue_.push_back(std::make_unique<Pending>(
        [this](Connection& connection, bool& removed) {
            if (sweep_(connection, removed)) {
                std::lock_guard lock(mutex_);
                next_sweep_ = std::chrono::steady_clock::now();
            }
            return Status();
        },
        Deadline(), [](const Status&) {}));
}

void GroupWriter::drain() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return idle(); });
}

bool GroupWriter::idle() const {
    return queue_.empty() && !writing_ && written_.empty() && !completing_;
}

void GroupWriter::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
        queued_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
    if (completer_.joinable()) completer_.join();
    connection_.reset();
}

void GroupWriter::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        queued_.wait_until(lock, next_sweep_, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_ && queue_.empty()) break;  // everything queued is decided
        if (!stopping_ && std::chrono::steady_clock::now() >= next_sweep_) queue_sweep();
        Group expired;
        Group group = take_group(expired);
        hand_over(std::move(expired));
        writing_ = true;
        lock.unlock();
        if (!group.empty()) write_group(group);
        if (checkpoint_pending_) checkpoint();
        lock.lock();
        writing_ = false;
        hand_over(std::move(group));
        if (idle()) idle_.notify_all();
    }
    written_all_ = true;  // the completer ends once it has completed what it was handed
    handed_over_.notify_one();
}

void GroupWriter::hand_over(Group decided) {
    if (decided.empty()) return;
    written_.push_back(std::move(decided));
    handed_over_.notify_one();
}

void GroupWriter::complete_groups() {
    std::unique_lock lock(mutex_);
    for (;;) {
        handed_over_.wait(lock, [this] { return !written_.empty() || written_all_; });
        if (written_.empty()) return;
        std::deque<Group> groups;
        groups.swap(written_);
        completing_ = true;
        lock.unlock();
        for (auto& group : groups) {
            for (auto& member : group) member->complete();
        }
        groups.clear();
        lock.lock();
        completing_ = false;
        if (idle()) idle_.notify_all();
    }
}

GroupWriter::Group GroupWriter::take_group(Group& expired) {
    Group group;
    uint64_t events = 0;
    uint64_t bytes = 0;
    while (!queue_.empty()) {
        Pending& next = *queue_.front();
        if (next.deadline.passed()) {
            next.status = Status(Code::deadline_exceeded,
                                 "sqlite: " + path_ + ": the " + what(next) +
                                     "'s deadline passed before the writer took it; "
                                     "nothing was written");
            expired.push_back(std::move(queue_.front()));
            queue_.pop_front();
            continue;
        }
        const uint64_t next_events = events_of(next.request);
        const uint64_t next_bytes = bytes_of(next.request);
        if (!group.empty() &&
            (events + next_events > kMaxGroupEvents || bytes + next_bytes > kMaxGroupBytes)) {
            break;
        }
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
        events += next_events;
        bytes += next_bytes;
    }
    return group;
}

void GroupWriter::write_group(const Group& group) {
    Deadline latest = group.front()->deadline;
    for (const auto& member : group) latest = Deadline::later(latest, member->deadline);
    Connection& connection = *connection_;
    connection.set_deadline(latest);
    try {
        Query(connection, kBegin).run();
    } catch (const SqliteError& error) {
        for (const auto& member : group) member->status = status_of(error, path_, what(*member));
        return;
    }
    uint64_t head = head_;
    const int64_t recorded_at_us = std::max(recorded_at_us_, now_us());
    size_t decided = 0;
    try {
        for (; decided < group.size(); ++decided) {
            Pending& member = *group[decided];
            const uint64_t before = head;
            Query(connection, kSavepoint).run();
            try {
                member.status = member.request != nullptr
                                    ? append_member(connection, *member.request, member.result,
                                                    head, recorded_at_us)
                                    : member.change(connection, member.removed);
                member.wrote = head != before;
                Query(connection, kRelease).run();
            } catch (const SqliteError& error) {
                if (sqlite3_get_autocommit(connection.handle()) != 0) throw;  // all is lost
                Query(connection, kRollbackMember).run();
                Query(connection, kRelease).run();
                head = before;
                member.removed = false;
                member.status = status_of(error, path_, what(member));
            }
        }
        Query(connection, kCommit).run();
    } catch (const SqliteError& error) {
        undo(connection, "ROLLBACK");
        for (size_t i = 0; i < group.size(); ++i) {
            // Members decided without writing (retries, refusals) keep their verdicts; a change
            // may have written without moving the head: it fails too.
            if (group[i]->wrote || group[i]->request == nullptr || i >= decided) {
                group[i]->status = status_of(error, path_, what(*group[i]));
            }
        }
        return;
    }
    for (const auto& member : group) checkpoint_pending_ |= member->removed;
    if (head != head_) {
        head_ = head;
        recorded_at_us_ = recorded_at_us;
        committed_(head_);
    }
}

void GroupWriter::checkpoint() {
    connection_->set_deadline(Deadline());
    try {
        Query query(*connection_, kCheckpoint);
        // The first column is 1 when a reader kept the checkpoint from completing.
        checkpoint_pending_ = !query.step() || query.integer(0) != 0;
    } catch (const SqliteError&) {
        // Tried again after the next group or sweep.
    }
}

}  // namespace eventstore::sqlite
