#include "subscriptions/subscriptions.hpp"

#include <algorithm>
#include <vector>

#include "eventstore/abi_struct.hpp"
#include "rpc/call_deadline.hpp"
#include "rpc/errors.hpp"
#include "rpc/page_reader.hpp"

namespace eventstore::server {

Subscriptions::Subscriptions(loader::Store& store, CommitNotifier& notifier, const Config& config)
    : store_(store),
      notifier_(notifier),
      config_(config),
      tail_(store, notifier, config.subscriptions, config.backend.timeout),
      catch_up_(kCatchUpThreads) {}

Subscriptions::~Subscriptions() { shutdown(); }

void Subscriptions::start(const std::shared_ptr<Feed>& feed) {
    {
        std::lock_guard lock(mutex_);
        if (!closed_) {
            feeds_.emplace(feed.get(), feed);
            read_more(feed);
            return;
        }
    }
    feed->end_shutting_down();
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
    catch_up_.close();
    std::vector<std::shared_ptr<Feed>> live;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [key, weak] : feeds_) {
            if (auto feed = weak.lock()) live.push_back(std::move(feed));
        }
    }
    for (const auto& feed : live) feed->end_shutting_down();
}

void Subscriptions::read_more(std::shared_ptr<Feed> feed) {
    catch_up_.submit([this, feed = std::move(feed)] { read_page(feed); });
}

void Subscriptions::read_page(const std::shared_ptr<Feed>& feed) {
    const Feed::Request& request = feed->request();
    const Feed::ReadFrom from = feed->read_from();
    es_read_all_request read = abi::make_struct<es_read_all_request>();
    read.after_position = from.after;
    read.max_count = config_.subscriptions.batch_size;
    read.stream_prefix = abi::bytes(request.prefix);
    read.max_scan = from.max_scan;
    const auto timeout = backend_timeout_us(request.deadline, config_.backend.timeout);
    if (!timeout.ok()) return feed->end(to_grpc(timeout.status()));
    read.timeout_us = timeout.value();
    auto iterator = store_.read_all(read);
    if (!iterator.ok()) return feed->end(to_grpc(iterator.status()));
    Page page;
    page.after = from.after;
    auto drained = drain(*iterator.value(), [&](const es_recorded_event& event) {
        if (request.caller.may_see(event)) page.events.push_back(share(event));
        return true;
    });
    if (!drained.ok()) return feed->end(to_grpc(drained.status()));
    page.scanned_to = std::max(from.after, drained->page.last_scanned_position);
    page.head = notifier_.head();
    if (feed->offer(page, false) == Feed::Offer::ended) return;
    // A page that moved nothing is taken as the head, so a backend that cannot say never makes
    // a subscriber read in circles.
    const bool at_head = drained->page.reached_head || page.scanned_to == from.after;
    if (at_head && tail_.join(feed)) return;
    feed->read_done();
}

}  // namespace eventstore::server
