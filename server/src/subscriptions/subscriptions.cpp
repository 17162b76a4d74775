#include "subscriptions/subscriptions.hpp"

#include <algorithm>
#include <vector>

#include "rpc/errors.hpp"
#include "rpc/translate.hpp"

namespace eventstore::server {

Subscriptions::Subscriptions(loader::Store& store, CommitNotifier& notifier, const Config& config)
    : store_(store),
      notifier_(notifier),
      config_(config),
      tail_(store, notifier, config.subscriptions, config.backend.timeout),
      catch_up_pool_(kCatchUpThreads) {}

Subscriptions::~Subscriptions() { shutdown(); }

namespace {

void end_withdrawn_feed(Feed& feed) {
    feed.end(to_grpc(Authorizer::withdrawn_status(feed.request().caller), feed.request().request_id));
}

}  // namespace

void Subscriptions::start(const std::shared_ptr<Feed>& feed) {
    bool closed = false;
    {
        // The withdrawn mark is set before end_withdrawn takes this lock: a feed that starts after
        // that sweep sees the mark here, one that starts before is in feeds_ for the sweep.
        std::lock_guard lock(mutex_);
        closed = closed_;
        if (!closed && feed->request().caller.withdrawn() == Grant::Withdrawn::no) {
            feeds_.emplace(feed.get(), feed);
            read_more(feed);
            return;
        }
    }
    if (closed) {
        feed->end_shutting_down();
    } else {
        end_withdrawn_feed(*feed);
    }
}

std::vector<std::shared_ptr<Feed>> Subscriptions::live_feeds() {
    std::vector<std::shared_ptr<Feed>> live;
    std::lock_guard lock(mutex_);
    for (const auto& [key, weak] : feeds_) {
        if (auto feed = weak.lock()) live.push_back(std::move(feed));
    }
    return live;
}

void Subscriptions::end_withdrawn() {
    for (const auto& feed : live_feeds()) {
        if (feed->request().caller.withdrawn() != Grant::Withdrawn::no) end_withdrawn_feed(*feed);
    }
}

void Subscriptions::forget(const Feed* feed) {
    tail_.leave(feed);
    std::lock_guard lock(mutex_);
    feeds_.erase(feed);
}

void Subscriptions::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (closed_) return;
        closed_ = true;
    }
    tail_.close();
    catch_up_pool_.close();
    for (const auto& feed : live_feeds()) feed->end_shutting_down();
}

void Subscriptions::read_more(std::shared_ptr<Feed> feed) {
    catch_up_pool_.submit([this, feed = std::move(feed)] { catch_up(feed); });
}

void Subscriptions::catch_up(const std::shared_ptr<Feed>& feed) {
    const Feed::Request& request = feed->request();
    const Feed::ReadFrom from = feed->read_from();
    const auto read =
        read_all_request(from.after, config_.subscriptions.batch_size, request.prefix,
                         from.max_scan, CallDeadline{request.deadline, config_.backend.timeout});
    if (!read.ok()) return feed->end(to_grpc(read.status(), request.request_id));
    auto page = read_page(store_, read.value(), request.caller, notifier_.head());
    if (!page.ok()) return feed->end(backend_to_grpc(page.status(), request.request_id));
    if (feed->offer(page.value(), false) == Feed::Offer::ended) return;
    if (page->at_head && tail_.join(feed)) return;
    feed->read_done();
}

}  // namespace eventstore::server
