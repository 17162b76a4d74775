#include "subscriptions/subscribe_reactor.hpp"

namespace eventstore::server {
namespace {

class Refusal final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
public:
    explicit Refusal(grpc::Status status) { Finish(std::move(status)); }
    void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerWriteReactor<grpc::ByteBuffer>* SubscribeReactor::refuse(grpc::Status status) {
    return new Refusal(std::move(status));
}

SubscribeReactor::SubscribeReactor(Subscriptions& subscriptions, const SubscriptionConfig& config,
                                   Feed::Request request,
                                   std::unique_ptr<SubscriptionSlots::Slot> slot)
    : subscriptions_(subscriptions),
      feed_(std::make_shared<Feed>(subscriptions, config, std::move(request), this)),
      slot_(std::move(slot)) {
    StartSendInitialMetadata();
}

void SubscribeReactor::OnSendInitialMetadataDone(bool ok) {
    if (ok) {
        subscriptions_.start(feed_);
    } else {
        feed_->on_cancel();
    }
}

void SubscribeReactor::OnDone() {
    feed_->detach();
    subscriptions_.forget(feed_.get());
    delete this;
}

}  // namespace eventstore::server
