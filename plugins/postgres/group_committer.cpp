#include "group_committer.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "eventstore/abi_struct.hpp"
#include "eventstore/validation.hpp"

namespace eventstore::postgres {

namespace {

uint64_t bytes_of(const es_append_request& request) {
    uint64_t bytes = 0;
    for (size_t i = 0; i < request.event_count; ++i) {
        bytes += validation::event_size(*request.events[i]);
    }
    return bytes;
}

bool shares_an_id(const es_append_request& request,
                  const std::unordered_set<std::string_view>& ids) {
    for (size_t i = 0; i < request.event_count; ++i) {
        if (ids.count(abi::view(request.events[i]->event_id)) != 0) return true;
    }
    return false;
}

Status closing() {
    return Status(Code::unavailable, "postgres: the store is closing; the append was not written");
}

}  // namespace

GroupCommitter::GroupCommitter(ConnectionPool& pool, const Appender& appender, Committed committed)
    : pool_(pool), appender_(appender), committed_(std::move(committed)) {
    for (int i = 0; i < kMaxGroupsInFlight; ++i) threads_.emplace_back([this] { commit_groups(); });
    threads_.emplace_back([this] { expire_queued(); });
}

void GroupCommitter::append(const es_append_request& request, plugin::AppendDone done) {
    auto queued = std::make_unique<Queued>(std::move(done));
    queued->append.request = &request;
    queued->result = abi::make_struct<es_append_result>();
    queued->append.result = &queued->result;
    queued->append.deadline = Deadline::from_timeout_us(request.timeout_us);
    std::unique_lock lock(mutex_);
    if (stopping_) {
        lock.unlock();
        queued->done(closing(), queued->result);
        return;
    }
    if (const auto when = queued->append.deadline.when(); when && *when < next_expiry_) {
        next_expiry_ = *when;
        expiry_.notify_one();
    }
    queue_.push_back(std::move(queued));
    if (!gathering_) {
        queued_.notify_one();
    } else if (queue_.size() >= expected_) {
        // Only the arrival that ends the gathering wakes the committer (gather()): one wake-up a
        // group, not one an append.
        arrived_.notify_one();
    }
}

void GroupCommitter::stop() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        threads.swap(threads_);
        queued_.notify_all();
        arrived_.notify_all();
        expiry_.notify_all();
    }
    for (auto& thread : threads) thread.join();
    std::deque<std::unique_ptr<Queued>> left;
    {
        std::lock_guard lock(mutex_);
        left.swap(queue_);
    }
    for (auto& queued : left) queued->done(closing(), queued->result);
}

void GroupCommitter::commit_groups() {
    std::unique_lock lock(mutex_);
    for (;;) {
        queued_.wait(lock, [&] { return stopping_ || (!queue_.empty() && !gathering_); });
        if (stopping_) return;
        gather(lock);
        std::vector<std::unique_ptr<Queued>> group = take_group();
        // The other committer may take the next group while this one is in flight.
        if (!queue_.empty()) queued_.notify_one();
        lock.unlock();
        const auto started = std::chrono::steady_clock::now();
        if (!group.empty()) {
            std::vector<PendingAppend*> members;
            members.reserve(group.size());
            for (const auto& queued : group) members.push_back(&queued->append);
            run_group(members);
        }
        const auto took = std::chrono::steady_clock::now() - started;
        lock.lock();
        // The callers about to be answered are likely to append again soon, with those still
        // queued (counted before they are answered, so that none of them counts twice).
        expected_ = group.size() + queue_.size();
        gather_window_ = std::min<std::chrono::steady_clock::duration>(took / 2, kMaxGatherWindow);
        lock.unlock();
        complete(group);
        lock.lock();
    }
}

void GroupCommitter::expire_queued() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (next_expiry_ == Deadline::Clock::time_point::max()) {
            expiry_.wait(lock);
        } else {
            expiry_.wait_until(lock, next_expiry_);
        }
        const auto now = Deadline::Clock::now();
        if (stopping_ || now < next_expiry_) continue;
        std::vector<std::unique_ptr<Queued>> expired;
        next_expiry_ = Deadline::Clock::time_point::max();
        for (auto it = queue_.begin(); it != queue_.end();) {
            const auto when = (*it)->append.deadline.when();
            if (when && *when <= now) {
                expired.push_back(std::move(*it));
                it = queue_.erase(it);
                continue;
            }
            if (when) next_expiry_ = std::min(next_expiry_, *when);
            ++it;
        }
        lock.unlock();
        for (auto& queued : expired) {
            queued->done(Status(Code::deadline_exceeded,
                                "postgres: the append's deadline passed while it waited for its "
                                "group; nothing was written"),
                         queued->result);
        }
        lock.lock();
    }
}

void GroupCommitter::gather(std::unique_lock<std::mutex>& lock) {
    if (queue_.size() >= expected_) return;
    gathering_ = true;
    const auto until = std::chrono::steady_clock::now() + gather_window_;
    arrived_.wait_until(lock, until, [&] { return stopping_ || queue_.size() >= expected_; });
    gathering_ = false;
}

std::vector<std::unique_ptr<GroupCommitter::Queued>> GroupCommitter::take_group() {
    std::vector<std::unique_ptr<Queued>> group;
    std::unordered_set<std::string_view> ids;
    uint64_t events = 0;
    uint64_t bytes = 0;
    for (auto it = queue_.begin(); it != queue_.end();) {
        if ((*it)->append.deadline.passed()) {
            ++it;  // the expiry thread completes it
            continue;
        }
        const es_append_request& request = *(*it)->append.request;
        const uint64_t size = bytes_of(request);
        if (!group.empty() &&
            (events + request.event_count > kMaxGroupEvents || bytes + size > kMaxGroupBytes)) {
            break;
        }
        if (shares_an_id(request, ids)) {
            ++it;  // a later group decides it, once this one's ids are stored
            continue;
        }
        for (size_t i = 0; i < request.event_count; ++i) {
            ids.insert(abi::view(request.events[i]->event_id));
        }
        events += request.event_count;
        bytes += size;
        group.push_back(std::move(*it));
        it = queue_.erase(it);
    }
    return group;
}

void GroupCommitter::complete(std::vector<std::unique_ptr<Queued>>& group) {
    uint64_t head = 0;
    for (const auto& queued : group) {
        if (queued->append.status.ok()) head = std::max(head, queued->append.written_head);
    }
    if (head != 0) committed_(head);
    for (auto& queued : group) queued->done(queued->append.status, queued->result);
}

void GroupCommitter::run_group(const std::vector<PendingAppend*>& group) {
    bool racing = false;
    Deadline latest = group.front()->deadline;
    for (const PendingAppend* member : group) latest = Deadline::later(latest, member->deadline);
    const Status status = with_connection(pool_, "append", latest, [&](pqxx::connection& connection) {
        for (PendingAppend* member : group) member->status = Status();
        if (appender_.run_in_one_statement(connection, group)) return Status();
        for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
            for (PendingAppend* member : group) member->status = Status();
            if (appender_.run(connection, group) == Appender::Outcome::decided) return Status();
        }
        racing = true;
        return Status(Code::unavailable,
                      "postgres: the append kept losing races with concurrent appends of the same "
                      "streams or event ids; retry");
    });
    if (status.ok()) return;
    if (group.size() > 1 && (racing || status.code() != Code::unavailable)) {
        for (PendingAppend* member : group) run_group({member});
        return;
    }
    for (PendingAppend* member : group) {
        member->status = status;
        member->written_head = 0;
    }
}

}  // namespace eventstore::postgres
