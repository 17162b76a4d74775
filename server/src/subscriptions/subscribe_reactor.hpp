// subscribe_reactor.hpp: one Subscribe call on gRPC's callback API. It holds no thread: gRPC
// calls its reactions (a write done, the client gone, the call over) and its feed (feed.hpp)
// starts the next write. Cancellation, a peer that keepalive dropped and shutdown all arrive as
// events. Deletes itself when gRPC says the call is over (OnDone).
//
// The feed starts once the initial metadata is sent (OnSendInitialMetadataDone), that is once
// gRPC has bound the reactor to its call: a write started by another thread before that would
// go through gRPC's backlog, whose lock (Abseil's) ThreadSanitizer cannot see.
#ifndef EVENTSTORE_SERVER_SUBSCRIBE_REACTOR_HPP
#define EVENTSTORE_SERVER_SUBSCRIBE_REACTOR_HPP

#include <memory>

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_callback.h>

#include "subscriptions/feed.hpp"
#include "subscriptions/subscription_slots.hpp"
#include "subscriptions/subscriptions.hpp"

namespace eventstore::server {

class SubscribeReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
public:
    // A call refused before it started: ends at once with `status`.
    static grpc::ServerWriteReactor<grpc::ByteBuffer>* refuse(grpc::Status status);

    // Sends the initial metadata, then starts the subscription; `slot` is given back when the
    // call is over.
    SubscribeReactor(Subscriptions& subscriptions, const SubscriptionConfig& config,
                     Feed::Request request, std::unique_ptr<SubscriptionSlots::Slot> slot);

    void OnSendInitialMetadataDone(bool ok) override;
    void OnWriteDone(bool ok) override { feed_->on_write_done(ok); }
    void OnCancel() override { feed_->on_cancel(); }
    void OnDone() override;

private:
    Subscriptions& subscriptions_;
    std::shared_ptr<Feed> feed_;
    std::unique_ptr<SubscriptionSlots::Slot> slot_;
};

}  // namespace eventstore::server

#endif
