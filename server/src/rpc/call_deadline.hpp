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

// What bounds the backend calls of one gRPC call: the client's deadline and the server's
// backend.timeout_ms. A value: a subscription keeps it for reads made after its handler returned.
struct CallDeadline {
    // The deadline of the call of `context` (the largest time point when the client set none).
    CallDeadline(const grpc::ServerContextBase& context, std::chrono::milliseconds backend_timeout)
        : CallDeadline(context.deadline(), backend_timeout) {}
    CallDeadline(std::chrono::system_clock::time_point client_deadline,
                 std::chrono::milliseconds backend_timeout)
        : client_deadline(client_deadline), backend_timeout(backend_timeout) {}

    std::chrono::system_clock::time_point client_deadline;
    std::chrono::milliseconds backend_timeout;

    // The timeout_us to hand the backend for a call made now, or DEADLINE_EXCEEDED when the
    // deadline has already passed (the backend is then not called at all).
    Result<uint64_t> timeout_us() const;
};

}  // namespace eventstore::server

#endif
