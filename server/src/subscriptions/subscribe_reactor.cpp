#include "subscriptions/subscribe_reactor.hpp"

namespace eventstore::server {
namespace {

// A call refused before it started. It finishes from OnSendInitialMetadataDone, once gRPC has
// bound it to its call: a Finish before that goes through gRPC's backlog, whose status gRPC moves
// on the handler's thread when it binds and destroys on the thread of OnDone, a hand-off through
// its completion queue that ThreadSanitizer cannot see (as subscribe_reactor.hpp says of writes).
// Our lock, taken on each side, publishes the construction and the Finish to OnDone.
class Refusal final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
public:
    explicit Refusal(grpc::Status status) {
        std::lock_guard lock(mutex_);
        status_ = std::move(status);
        StartSendInitialMetadata();
    }
    void OnSendInitialMetadataDone(bool) override {
        // Under the lock, like the feed's Finish (feed.hpp): gRPC only queues the operation here.
        std::lock_guard lock(mutex_);
        Finish(std::move(status_));
    }
    void OnDone() override {
        { std::lock_guard lock(mutex_); }
        delete this;
    }

private:
    std::mutex mutex_;
    grpc::Status status_;  // guarded by mutex_
};

}  // namespace

grpc::ServerWriteReactor<grpc::ByteBuffer>* SubscribeReactor::refuse(grpc::Status status) {
    return new Refusal(std::move(status));
}

SubscribeReactor::SubscribeReactor(Subscriptions& subscriptions, const SubscriptionConfig& config,
                                   Feed::Request request,
                                   std::unique_ptr<SubscriptionSlots::Slot> slot)
    : subscriptions_(subscriptions), slot_(std::move(slot)) {
    {
        std::lock_guard lock(mutex_);
        feed_ = std::make_shared<Feed>(subscriptions, config, std::move(request), this);
    }
    StartSendInitialMetadata();
}

std::shared_ptr<Feed> SubscribeReactor::feed() const {
    std::lock_guard lock(mutex_);
    return feed_;
}

void SubscribeReactor::OnSendInitialMetadataDone(bool ok) {
    std::shared_ptr<Feed> feed = this->feed();
    if (ok) {
        subscriptions_.start(std::move(feed));
    } else {
        feed->on_cancel();
    }
}

void SubscribeReactor::OnDone() {
    std::shared_ptr<Feed> feed;
    {
        std::lock_guard lock(mutex_);
        feed = std::move(feed_);
    }
    feed->detach();
    subscriptions_.forget(feed.get());
    delete this;
}

}  // namespace eventstore::server
