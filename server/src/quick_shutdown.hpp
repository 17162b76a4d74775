// quick_shutdown.hpp: stops a gRPC server as soon as no call is in flight, within a grace.
//
// grpc::Server::Shutdown(deadline) stops accepting, sends GOAWAY on every connection, lets the
// calls in flight finish until the deadline and then cancels the rest. But it returns only once
// every connection is gone, and a client whose channel is idle does not close its connection on
// a GOAWAY (grpc 1.51): one idle channel held a SIGTERM for the whole shutdown_grace_ms. So
// shut_down_quickly begins gRPC core's shutdown itself (from then on no connection and no call
// is accepted), and once no call is in flight (CallsInFlight) it closes the connections that are
// left (grpc_server_cancel_all_calls, which then has no call to cancel); Shutdown then returns.
// A call gRPC had received but not yet handed to a handler when the last counted one ended is
// cancelled with them: the client sees it fail and may retry it.
#ifndef EVENTSTORE_SERVER_QUICK_SHUTDOWN_HPP
#define EVENTSTORE_SERVER_QUICK_SHUTDOWN_HPP

#include <chrono>

#include <grpcpp/server.h>

#include "calls_in_flight.hpp"

namespace eventstore::server {

// Shuts `server` down as said above and returns when it is down: at the latest at `deadline`,
// when gRPC cancels the calls still in flight. `calls` counts the calls of `server`; it is
// interrupted on return. Call once, from one thread; `server` must have been started.
void shut_down_quickly(grpc::Server& server, CallsInFlight& calls,
                       std::chrono::system_clock::time_point deadline);

}  // namespace eventstore::server

#endif
