// event_store_service.hpp: the gRPC EventStore service over the loaded backend. Validates every
// request with the contract's rules before it reaches the backend, and translates results and
// errors. With auth on, every call is authenticated and authorized first (auth.hpp). Thread-safe: gRPC calls it from many threads at once, as the ABI allows.
#ifndef EVENTSTORE_SERVER_EVENT_STORE_SERVICE_HPP
#define EVENTSTORE_SERVER_EVENT_STORE_SERVICE_HPP

#include <functional>

#include "config/config.hpp"
#include "eventstore/loader/store.hpp"
#include "eventstore/v1/eventstore.grpc.pb.h"
#include "rpc/append_call.hpp"
#include "rpc/call_deadline.hpp"
#include "security/auth.hpp"
#include "subscriptions/commit_notifier.hpp"
#include "subscriptions/subscription_slots.hpp"
#include "subscriptions/subscriptions.hpp"

namespace eventstore::server {

// Append is a callback method whose call waits on no thread (append_call.hpp); ReadStream and
// ReadAll are synchronous; Subscribe is a raw callback method (subscriptions/subscribe_reactor.hpp):
// it parses its request itself, and its responses are built around events serialized once for
// every subscriber.
class EventStoreService final
    : public v1::EventStore::WithCallbackMethod_Append<
          v1::EventStore::WithRawCallbackMethod_Subscribe<v1::EventStore::Service>> {
public:
    // `store` and `notifier` must outlive the service and every call in flight.
    EventStoreService(loader::Store& store, CommitNotifier& notifier, const Config& config);

    grpc::ServerUnaryReactor* Append(grpc::CallbackServerContext* context,
                                     const v1::AppendRequest* request,
                                     v1::AppendResponse* response) override;
    // The same Append for a caller without a gRPC call (the fuzz target): the same checks and
    // answer, the store's blocking append on the calling thread.
    grpc::Status append_blocking(const grpc::ServerContextBase& context,
                                 const v1::AppendRequest& request, v1::AppendResponse& response);
    grpc::Status ReadStream(grpc::ServerContext* context, const v1::ReadStreamRequest* request,
                            v1::ReadStreamResponse* response) override;
    grpc::Status ReadAll(grpc::ServerContext* context, const v1::ReadAllRequest* request,
                         v1::ReadAllResponse* response) override;
    grpc::ServerWriteReactor<grpc::ByteBuffer>* Subscribe(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request) override;

    // Stream lifecycle (docs/contract.md, "Stream lifecycle"): synchronous, as they are rare.
    grpc::Status DeleteStream(grpc::ServerContext* context, const v1::DeleteStreamRequest* request,
                              v1::StreamState* response) override;
    grpc::Status TombstoneStream(grpc::ServerContext* context,
                                 const v1::TombstoneStreamRequest* request,
                                 v1::StreamState* response) override;
    grpc::Status TruncateStream(grpc::ServerContext* context, const v1::TruncateStreamRequest* request,
                                v1::StreamState* response) override;
    grpc::Status SetStreamRetention(grpc::ServerContext* context,
                                    const v1::SetStreamRetentionRequest* request,
                                    v1::StreamState* response) override;
    grpc::Status GetStreamState(grpc::ServerContext* context, const v1::GetStreamStateRequest* request,
                                v1::StreamState* response) override;

    // The checks of an Append before it reaches the store (authentication, the token's streams and
    // tenant, the contract's rules and limits, the deadline): OK with `caller` and the ABI request
    // in `append` (borrowing `request`), or the status to answer. Public for the KurrentDB
    // protocol's appends (kurrent/), which hand the same request to the store.
    Status admit_append(const grpc::ServerContextBase& context, const v1::AppendRequest& request,
                        Caller& caller, abi::AppendBuilder& append) const;

    // A lifecycle change of `stream_id`: authorized for `delete`, checked, made by the backend
    // with the caller's tenant as owner. `fill` sets the call's own fields (empty: none);
    // `expected` is the call's expected version (nullptr: the call has none). `status` is the
    // server's refusal (from_backend false: the request never reached the backend) or the
    // backend's answer, FAILED_PRECONDITION with `state` when the stream is tombstoned
    // (state.tombstoned) or not at `expected` (state.last_version). Public for the KurrentDB
    // protocol's Delete and Tombstone (kurrent/), which answer it in their own way.
    using ChangeFields = std::function<Status(es_stream_change_request&)>;
    struct StreamChange {
        Status status;
        bool from_backend = false;
        es_stream_state state{};
    };
    StreamChange apply_change(const grpc::ServerContextBase& context, es_stream_change_kind kind,
                              const std::string& stream_id, const v1::ExpectedVersion* expected,
                              const ChangeFields& fill);

    // Ends every subscription with UNAVAILABLE (at shutdown, before gRPC's own grace period).
    void end_subscriptions() { subscriptions_.shutdown(); }

    // Replaces the token list while calls run: the next call of a removed token is refused, and
    // the subscriptions of a removed or changed token end (Authorizer::withdrawn_status).
    TokenSet::Change replace_tokens(const std::vector<TokenConfig>& tokens);
    size_t token_count() const { return auth_.token_count(); }

private:
    // The deadline of the backend calls made for the call of `context`.
    CallDeadline deadline(const grpc::ServerContextBase& context) const {
        return {context, config_.backend.timeout};
    }

    // The checks of a call on one stream before it reaches the store: the token grants
    // `access`, the stream is under its prefixes, the stream id is valid. The caller, or the
    // status to answer.
    Result<Caller> admit_stream_call(const grpc::ServerContextBase& context,
                                     const std::string& stream_id, Access access) const;
    // A lifecycle change answered as the stream's state (apply_change), with the
    // WrongExpectedVersion detail for `expected` and StreamDeleted for a tombstoned stream.
    grpc::Status change_stream(grpc::ServerContext& context, es_stream_change_kind kind,
                               const std::string& stream_id, const v1::ExpectedVersion* expected,
                               const ChangeFields& fill, v1::StreamState& response);
    // For a ReadStream the backend answered NOT_FOUND: the same NOT_FOUND, with the StreamDeleted
    // detail when the stream is tombstoned.
    grpc::Status stream_not_found(const grpc::ServerContextBase& context, const Status& status,
                                  const es_read_stream_request& read);

    loader::Store& store_;
    const Config& config_;
    AppendCall::Allocator append_calls_;
    Authorizer auth_;
    SubscriptionSlots subscription_slots_;
    Subscriptions subscriptions_;
};

}  // namespace eventstore::server

#endif
