// streams_service.hpp: KurrentDB's client protocol, service event_store.client.streams.Streams
// (proto/kurrent/streams.proto), translated onto the same backend, rules and tokens as
// eventstore.v1 (docs/kurrent-protocol.md has the mapping). Each method lives in a file of its own
// in this folder. Thread-safe, as gRPC calls it from many threads at once.
#ifndef EVENTSTORE_SERVER_KURRENT_STREAMS_SERVICE_HPP
#define EVENTSTORE_SERVER_KURRENT_STREAMS_SERVICE_HPP

#include "config/config.hpp"
#include "eventstore/loader/store.hpp"
#include "rpc/event_store_service.hpp"
#include "streams.grpc.pb.h"

namespace eventstore::server::kurrent {

namespace proto = event_store::client::streams;

class StreamsService final : public proto::Streams::CallbackService {
public:
    // `core` (whose tokens, subscriptions and rules apply here too) and `store` must outlive the
    // service and every call in flight.
    StreamsService(EventStoreService& core, loader::Store& store, const Config& config);

    // read.cpp: reads of a stream or of $all, forwards or backwards, and subscriptions.
    grpc::ServerWriteReactor<proto::ReadResp>* Read(grpc::CallbackServerContext* context,
                                                    const proto::ReadReq* request) override;
    // append.cpp: one stream, the options message first, then the events.
    grpc::ServerReadReactor<proto::AppendReq>* Append(grpc::CallbackServerContext* context,
                                                      proto::AppendResp* response) override;
    // batch_append.cpp: appends by correlation id, each complete at its `is_final` request.
    grpc::ServerBidiReactor<proto::BatchAppendReq, proto::BatchAppendResp>* BatchAppend(
        grpc::CallbackServerContext* context) override;
    // delete.cpp: the stream lifecycle's delete and tombstone.
    grpc::ServerUnaryReactor* Delete(grpc::CallbackServerContext* context,
                                     const proto::DeleteReq* request,
                                     proto::DeleteResp* response) override;
    grpc::ServerUnaryReactor* Tombstone(grpc::CallbackServerContext* context,
                                        const proto::TombstoneReq* request,
                                        proto::TombstoneResp* response) override;

private:
    EventStoreService& core_;
    loader::Store& store_;
    const Config& config_;
};

}  // namespace eventstore::server::kurrent

#endif
