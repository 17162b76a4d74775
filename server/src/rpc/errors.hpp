// errors.hpp: turns a core Status into the gRPC status a client sees. FAILED_PRECONDITION from an
// append carries the WrongExpectedVersion detail; INTERNAL names the call's request id
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

// FAILED_PRECONDITION with a google.rpc.Status detail holding WrongExpectedVersion.
grpc::Status wrong_expected_version(const Status& status, const v1::AppendRequest& request,
                                    uint64_t actual_version);

}  // namespace eventstore::server

#endif
