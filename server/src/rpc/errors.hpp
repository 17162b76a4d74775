// errors.hpp: turns a core Status into the gRPC status a client sees. FAILED_PRECONDITION from an
// append carries the WrongExpectedVersion detail; INTERNAL is logged with an id the message repeats.
#ifndef EVENTSTORE_SERVER_ERRORS_HPP
#define EVENTSTORE_SERVER_ERRORS_HPP

#include <grpcpp/support/status.h>

#include "eventstore/status.hpp"
#include "eventstore/v1/eventstore.pb.h"

namespace eventstore::server {

// Any status; INTERNAL ones are logged under a fresh id, which the client's message names.
grpc::Status to_grpc(const Status& status);

// FAILED_PRECONDITION with a google.rpc.Status detail holding WrongExpectedVersion.
grpc::Status wrong_expected_version(const Status& status, const v1::AppendRequest& request,
                                    uint64_t actual_version);

}  // namespace eventstore::server

#endif
