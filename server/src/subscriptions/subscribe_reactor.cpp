#include "subscriptions/subscribe_reactor.hpp"

namespace eventstore::server {
namespace {

// Made on the handler's thread, deleted on the one gRPC runs OnDone on, which gRPC orders through
// its completion queue, invisible to ThreadSanitizer. As in SubscribeReactor, our own lock,
// taken on both sides, makes that hand-off visible (gRPC calls OnDone only after the handler has
// returned the reactor, so the constructor's lock is never held then).
class Refusal final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
public:
    explicit Refusal(grpc::Status status) {
        std::lock_guard lock(mutex_);
        Finish(std::move(status));
    }
    void OnDone() override {
        { std::lock_guard lock(mutex_); }
        delete this;
    }

private:
    std::mutex mutex_;
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
