// call_deadline.hpp: the deadline of a backend call (plugin.h, "Deadlines"): the client's gRPC
// deadline or backend.timeout_ms from now, whichever ends first. Every call into the backend gets
// one, so a stuck database fails a call when its client stops waiting, never later.
#ifndef EVENTSTORE_SERVER_CALL_DEADLINE_HPP
#define EVENTSTORE_SERVER_CALL_DEADLINE_HPP

#include <chrono>
#include <cstdint>

#include <grpcpp/grpcpp.h>

#include "eventstore/status.hpp"

namespace eventstore::server {

// The timeout_us to hand the backend for a call made now, or DEADLINE_EXCEEDED when the deadline
// has already passed (the backend is then not called at all).
Result<uint64_t> backend_timeout_us(const grpc::ServerContextBase& context,
                                    std::chrono::milliseconds timeout);
// The same for a client deadline noted earlier (a subscription reads long after its call began).
Result<uint64_t> backend_timeout_us(std::chrono::system_clock::time_point client_deadline,
                                    std::chrono::milliseconds timeout);

}  // namespace eventstore::server

#endif
