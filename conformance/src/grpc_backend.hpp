// grpc_backend.hpp: the checks' Backend over a running eventstored's gRPC API (black-box mode,
// --target HOST:PORT). The server validates, clamps and translates; the checks see what a client
// sees. A FAILED_PRECONDITION's actual version is read from its WrongExpectedVersion detail, a
// tombstoned stream from its StreamDeleted detail.
#ifndef EVENTSTORE_CONFORMANCE_GRPC_BACKEND_HPP
#define EVENTSTORE_CONFORMANCE_GRPC_BACKEND_HPP

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "backend.hpp"
#include "eventstore/v1/eventstore.grpc.pb.h"

namespace eventstore::conformance {

// A channel to `target` (HOST:PORT) without message size limits, so events near the append limit
// can be read back; UNAVAILABLE if it does not connect within `timeout`.
Result<std::shared_ptr<grpc::Channel>> connect(const std::string& target,
                                               std::chrono::milliseconds timeout);

class GrpcBackend final : public Backend {
public:
    explicit GrpcBackend(const std::shared_ptr<grpc::Channel>& channel);

    AppendOutcome append(const std::string& stream_id, Expected expected,
                         const std::vector<EventData>& events) override;
    StreamPage read_stream(const std::string& stream_id, uint64_t from_version, uint32_t max_count,
                           bool forward) override;
    AllPage read_all(uint64_t after_position, uint32_t max_count,
                     const std::string& stream_prefix) override;
    StateOutcome change_stream(const std::string& stream_id, const StreamChange& change) override;
    StateOutcome stream_state(const std::string& stream_id) override;

private:
    std::unique_ptr<v1::EventStore::Stub> stub_;
};

}  // namespace eventstore::conformance

#endif
