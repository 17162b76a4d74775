#include "subscriptions/tail.hpp"

#include <algorithm>

#include "eventstore/loader/plugin.hpp"
#include "observability/server_metrics.hpp"
#include "rpc/errors.hpp"
#include "rpc/translate.hpp"

namespace eventstore::server {
Tail::Tail(loader::Store& store, CommitNotifier& notifier, const SubscriptionConfig& config,
           std::chrono::milliseconds backend_timeout)
    : store_(store),
      notifier_(notifier),
      config_(config),
      backend_timeout_(backend_timeout),
      pushed_((store.plugin().capabilities() & ES_CAP_COMMIT_NOTIFICATIONS) != 0),
      thread_([this] { run(); }) {}

Tail::~Tail() { close(); }

bool Tail::join(const std::shared_ptr<Feed>& feed) {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    const uint64_t at = feed->position();
    if (members_.empty()) {
        position_ = at;
        ring_.clear();
        ++generation_;
    } else if (position_ > at) {
        if (ring_.empty() || ring_.front().after > at) return false;
        for (const Page& page : ring_) {
            if (page.scanned_to > at && feed->offer(page, false) != Feed::Offer::taken) return false;
        }
    }
    if (!feed->join_live()) return false;
    members_.push_back(feed);
    changed_.notify_all();
    notifier_.wake();
    return true;
}

void Tail::leave(const Feed* feed) {
    std::lock_guard lock(mutex_);
    const auto found = std::find_if(members_.begin(), members_.end(),
                                    [&](const auto& member) { return member.get() == feed; });
    if (found != members_.end()) members_.erase(found);
}

void Tail::forget_recent() {
    std::lock_guard lock(mutex_);
    ring_.clear();
    ++removals_;
}

void Tail::close() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        members_.clear();
        ring_.clear();
    }
    changed_.notify_all();
    notifier_.wake();
    if (thread_.joinable()) thread_.join();
}

Tail::Next Tail::wait_for_work(bool at_head) {
    uint64_t from = 0;
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return closed_ || !members_.empty(); });
        if (closed_) return Next::stop;
        from = position_;
    }
    if (!at_head) return Next::read;
    const auto until = std::chrono::steady_clock::now() +
                       (pushed_ ? config_.checkpoint_period : config_.poll_interval);
    const bool committed = notifier_.wait_beyond(from, until);
    if (notifier_.closed()) return Next::stop;  // shutting down: the runtime closes the tail next
    if (!pushed_) return Next::read;  // the page read next is offered to every member
    if (committed) {
        server_metrics().tail_notifications.add();
        return Next::read;
    }
    if (std::chrono::steady_clock::now() < until) return Next::wait;  // a join woke it
    // A quiet period: checkpoints due by time, and one read that finds a backend gone away.
    std::lock_guard lock(mutex_);
    for (const auto& member : members_) member->checkpoint_if_due();
    return Next::read;
}

void Tail::run() {
    bool at_head = true;
    for (Next next = wait_for_work(at_head); next != Next::stop; next = wait_for_work(at_head)) {
        if (next == Next::wait) continue;
        uint64_t from = 0;
        uint64_t generation = 0;
        uint64_t removals = 0;
        {
            std::lock_guard lock(mutex_);
            if (closed_) return;
            from = position_;
            generation = generation_;
            removals = removals_;
        }
        // The tail reads for no one client: only the server's backend.timeout_ms bounds it.
        server_metrics().tail_reads.add();
        const auto read = read_all_request(
            from, config_.batch_size, {}, 0,
            CallDeadline{std::chrono::system_clock::time_point::max(), backend_timeout_});
        auto page = read.ok() ? read_page(store_, read.value(), Caller(), notifier_.head())
                              : Result<Page>(read.status());
        std::lock_guard lock(mutex_);
        if (closed_) return;
        if (generation != generation_) {
            at_head = false;  // a join moved the tail while this page was read: read from there
            continue;
        }
        if (!page.ok()) {
            // As if each member had read it: the call ends with the backend's error, and the
            // client resumes from the last position it heard of.
            for (const auto& member : members_) {
                member->end(backend_to_grpc(page.status(), member->request().request_id));
            }
            members_.clear();
            ring_.clear();
            at_head = true;
            continue;
        }
        at_head = page->at_head;
        fan_out_locked(std::move(page.value()), removals == removals_);
    }
}

void Tail::fan_out_locked(Page page, bool ring) {
    position_ = page.scanned_to;
    const auto kept = std::remove_if(members_.begin(), members_.end(), [&](const auto& member) {
        return member->offer(page, true) != Feed::Offer::taken;
    });
    members_.erase(kept, members_.end());
    if (!ring) return;
    ring_.push_back(std::move(page));
    if (ring_.size() > kRingPages) ring_.pop_front();
}

}  // namespace eventstore::server
