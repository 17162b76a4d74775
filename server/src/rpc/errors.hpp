// errors.hpp: turns a core Status into the gRPC status a client sees. FAILED_PRECONDITION from an
// append or a delete carries the WrongExpectedVersion detail, or StreamDeleted for a tombstoned
// stream; INTERNAL names the call's request id
// (observability/request_id.hpp), the id of the call's log line and `x-request-id` trailer.
//
// A status goes through the door of whoever made it: to_grpc for what the server decided itself
// (a refused token, an invalid request, a deadline that passed before the backend was asked),
// backend_to_grpc for what the backend returned. Only the second counts into
// eventstore_backend_errors_total, so that metric counts the backend's failures, not the server's.
#ifndef EVENTSTORE_SERVER_ERRORS_HPP
#define EVENTSTORE_SERVER_ERRORS_HPP

#include <string>

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include "eventstore/status.hpp"
#include "eventstore/v1/eventstore.pb.h"

namespace eventstore::server {

// A status the server made, for the call of `context`: the same code and message, except that
// INTERNAL becomes "internal error <request id> (the server log has the details): <message>".
grpc::Status to_grpc(const Status& status, const grpc::ServerContextBase& context);

// A status the backend returned (through the loader): as to_grpc, and a code that means the
// backend failed (is_backend_failure) is counted in server_metrics().backend_errors.
grpc::Status backend_to_grpc(const Status& status, const grpc::ServerContextBase& context);

// The same for a call whose request id was noted earlier (a subscription's reads outlast the
// handler that admitted it).
grpc::Status to_grpc(const Status& status, const std::string& request_id);
grpc::Status backend_to_grpc(const Status& status, const std::string& request_id);

// FAILED_PRECONDITION with a google.rpc.Status detail holding WrongExpectedVersion: for an
// append, and for a DeleteStream or TombstoneStream of `stream_id` with `expected`.
grpc::Status wrong_expected_version(const Status& status, const v1::AppendRequest& request,
                                    uint64_t actual_version);
grpc::Status wrong_expected_version(const Status& status, const std::string& stream_id,
                                    const v1::ExpectedVersion& expected, uint64_t actual_version);

// `code` with a StreamDeleted detail and a message saying the stream is tombstoned:
// FAILED_PRECONDITION for an append or a change to it, NOT_FOUND for a read of it.
grpc::Status stream_deleted(grpc::StatusCode code, const std::string& stream_id);

}  // namespace eventstore::server

#endif
