// noop_kurrent_service.hpp: KurrentDB's Streams service doing no storage work, the ceiling of
// eventstore-bench --protocol kurrent (its --baseline noop), on the no-op server beside
// NoopService, whose head and template it shares:
// - Append reads the options, then counts the proposed messages into the head, and answers a
//   success at once (INVALID_ARGUMENT without options first or without an event).
// - BatchAppend answers each append (the requests of one correlation id up to is_final) with a
//   success once its last request arrives, counting its proposed messages into the head.
// - Read serves subscriptions to $all: the confirmation, the template numbered from after the
//   asked position (or 1 from the start) up to the head, one event a message as KurrentDB sends
//   them, then caught_up, then waits for the client to go away. Other reads: UNIMPLEMENTED.
// Thread-safe.
#ifndef EVENTSTORE_BENCH_NOOP_KURRENT_SERVICE_HPP
#define EVENTSTORE_BENCH_NOOP_KURRENT_SERVICE_HPP

#include "noop_service.hpp"
#include "streams.grpc.pb.h"

namespace eventstore::bench {

class NoopKurrentService final : public event_store::client::streams::Streams::Service {
public:
    explicit NoopKurrentService(NoopService& events) : events_(events) {}

    grpc::Status Append(grpc::ServerContext* context,
                        grpc::ServerReader<event_store::client::streams::AppendReq>* reader,
                        event_store::client::streams::AppendResp* response) override;
    grpc::Status BatchAppend(
        grpc::ServerContext* context,
        grpc::ServerReaderWriter<event_store::client::streams::BatchAppendResp,
                                 event_store::client::streams::BatchAppendReq>* stream) override;
    grpc::Status Read(grpc::ServerContext* context,
                      const event_store::client::streams::ReadReq* request,
                      grpc::ServerWriter<event_store::client::streams::ReadResp>* writer) override;

private:
    NoopService& events_;
};

}  // namespace eventstore::bench

#endif
