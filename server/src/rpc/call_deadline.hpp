// call_deadline.hpp: the deadline of a backend call (plugin.h, "Deadlines"): the client's gRPC
// deadline or backend.timeout_ms from now, whichever ends first. Every call into the backend gets
// one, so a stuck database fails a call when its client stops waiting, never later. The requests
// receive it through translate.hpp's fill_deadline.
#ifndef EVENTSTORE_SERVER_CALL_DEADLINE_HPP
#define EVENTSTORE_SERVER_CALL_DEADLINE_HPP

#include <chrono>
#include <cstdint>

#include <grpcpp/grpcpp.h>

#include "eventstore/status.hpp"

namespace eventstore::server {

// What bounds the backend calls of one gRPC call: its context (the client's deadline) and the
// server's backend.timeout_ms. Borrows the context: use it within the call.
struct CallDeadline {
    const grpc::ServerContext& context;
    std::chrono::milliseconds backend_timeout;

    // The timeout_us to hand the backend for a call made now, or DEADLINE_EXCEEDED when the
    // deadline has already passed (the backend is then not called at all).
    Result<uint64_t> timeout_us() const;
};

}  // namespace eventstore::server

#endif
