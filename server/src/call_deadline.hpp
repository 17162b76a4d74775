// call_deadline.hpp: the deadline of a backend call (plugin.h, "Deadlines"): the client's gRPC
// deadline or backend.timeout_ms from now, whichever ends first. Every call into the backend gets
// one, so a stuck database fails a call when its client stops waiting, never later.
#ifndef EVENTSTORE_SERVER_CALL_DEADLINE_HPP
#define EVENTSTORE_SERVER_CALL_DEADLINE_HPP

#include <chrono>

#include <grpcpp/grpcpp.h>

#include "eventstore/deadline.hpp"
#include "eventstore/status.hpp"

namespace eventstore::server {

Deadline backend_deadline(const grpc::ServerContext& context, std::chrono::milliseconds timeout);

// DEADLINE_EXCEEDED when `deadline` has already passed: the backend is not called at all.
Status check_not_passed(const Deadline& deadline);

}  // namespace eventstore::server

#endif
