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

}  // namespace

Status GroupCommitter::append(const es_append_request& request, es_append_result& result,
                              uint64_t& written_head) {
    PendingAppend me;
    me.request = &request;
    me.result = &result;
    me.deadline = Deadline::from_timeout_us(request.timeout_us);
    std::unique_lock lock(mutex_);
    queue_.push_back(&me);
    if (gathering_) arrived_.notify_one();
    while (!me.done) {
        if (me.taken || in_flight_ >= kMaxGroupsInFlight || gathering_) {
            if (!wait_for_turn(lock, me)) {
                return Status(Code::deadline_exceeded,
                              "postgres: the append's deadline passed while it waited for its "
                              "group; nothing was written");
            }
            continue;
        }
        ++in_flight_;
        gather(lock);
        const std::vector<PendingAppend*> group = take_group();
        // Another queued caller may lead the next group while this one is in flight.
        if (!queue_.empty()) decided_.notify_all();
        lock.unlock();
        const auto started = std::chrono::steady_clock::now();
        if (!group.empty()) run_group(group);  // empty when every member's deadline had passed
        const auto took = std::chrono::steady_clock::now() - started;
        lock.lock();
        for (PendingAppend* member : group) member->done = true;
        // The callers just decided are likely to append again soon, with those still queued.
        expected_ = group.size() + queue_.size();
        gather_window_ = std::min<std::chrono::steady_clock::duration>(took / 2, kMaxGatherWindow);
        --in_flight_;
        decided_.notify_all();
    }
    written_head = me.written_head;
    return me.status;
}

bool GroupCommitter::wait_for_turn(std::unique_lock<std::mutex>& lock, PendingAppend& me) {
    const auto until = me.deadline.when();
    if (!until) {
        decided_.wait(lock);
        return true;
    }
    if (decided_.wait_until(lock, *until) == std::cv_status::no_timeout || me.done) return true;
    if (me.taken) return true;  // in a group in flight: its verdict comes
    queue_.erase(std::find(queue_.begin(), queue_.end(), &me));
    return false;
}

void GroupCommitter::gather(std::unique_lock<std::mutex>& lock) {
    if (queue_.size() >= expected_) return;
    gathering_ = true;
    const auto until = std::chrono::steady_clock::now() + gather_window_;
    arrived_.wait_until(lock, until, [&] { return queue_.size() >= expected_; });
    gathering_ = false;
}

std::vector<PendingAppend*> GroupCommitter::take_group() {
    std::vector<PendingAppend*> group;
    std::unordered_set<std::string_view> ids;
    uint64_t events = 0;
    uint64_t bytes = 0;
    for (auto it = queue_.begin(); it != queue_.end();) {
        if ((*it)->deadline.passed()) {
            (*it)->status = Status(Code::deadline_exceeded,
                                   "postgres: the append's deadline passed before its group ran; "
                                   "nothing was written");
            (*it)->done = true;
            it = queue_.erase(it);
            continue;
        }
        const es_append_request& request = *(*it)->request;
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
        (*it)->taken = true;
        group.push_back(*it);
        it = queue_.erase(it);
    }
    return group;
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
