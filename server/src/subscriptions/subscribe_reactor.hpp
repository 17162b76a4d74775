// subscribe_reactor.hpp: one Subscribe call on gRPC's callback API. It holds no thread: gRPC
// calls its reactions (a write done, the client gone, the call over) and its feed (feed.hpp)
// starts the next write. Cancellation, a peer that keepalive dropped and shutdown all arrive as
// events. Deletes itself when gRPC says the call is over (OnDone).
//
// The feed starts once the initial metadata is sent (OnSendInitialMetadataDone), that is once
// gRPC has bound the reactor to its call: a write started by another thread before that would
// go through gRPC's backlog, whose lock (Abseil's) ThreadSanitizer cannot see.
//
// Thread-safety: gRPC runs the constructor and each reaction on threads of its own, and orders
// them through its completion queue, which ThreadSanitizer cannot see. So `feed_` is also
// guarded by `mutex_` (taken once per reaction, never held while calling the feed): the hand-off
// is then visible to TSan through our own lock, and a reaction that really raced with another
// would still be reported.
#ifndef EVENTSTORE_SERVER_SUBSCRIBE_REACTOR_HPP
#define EVENTSTORE_SERVER_SUBSCRIBE_REACTOR_HPP

#include <memory>
#include <mutex>

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
    void OnWriteDone(bool ok) override { feed()->on_write_done(ok); }
    void OnCancel() override { feed()->on_cancel(); }
    void OnDone() override;

private:
    std::shared_ptr<Feed> feed() const;

    Subscriptions& subscriptions_;
    mutable std::mutex mutex_;
    std::shared_ptr<Feed> feed_;  // guarded by mutex_; set once, before the first reaction
    std::unique_ptr<SubscriptionSlots::Slot> slot_;
};

}  // namespace eventstore::server

#endif
