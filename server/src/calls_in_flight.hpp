// calls_in_flight.hpp: the gRPC calls the server is serving, counted, so that a shutdown can tell
// when none is left (quick_shutdown.hpp). A server interceptor, one per call, counts it from the
// moment the server takes the call up (before its handler runs) until gRPC destroys the call,
// after its status was sent. That covers every service of the server, unary and streaming, sync
// and callback API alike: a Subscribe counts until its reactor's OnDone.
//
// Thread safety: everything from any thread. The object must outlive the server that uses its
// interceptors.
#ifndef EVENTSTORE_SERVER_CALLS_IN_FLIGHT_HPP
#define EVENTSTORE_SERVER_CALLS_IN_FLIGHT_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include <grpcpp/support/server_interceptor.h>

namespace eventstore::server {

class CallsInFlight {
public:
    // An interceptor factory for grpc::ServerBuilder that counts each call into this object.
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> counter();

    // Waits until no call is in flight (true), or until `deadline` or interrupt() (false).
    bool wait_until_none(std::chrono::system_clock::time_point deadline);
    // Ends every wait_until_none, now and later, with false.
    void interrupt();

    // What the interceptors call, at a call's start and at its end.
    void started();
    void ended();

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int64_t count_ = 0;        // mutex_
    bool interrupted_ = false; // mutex_
};

}  // namespace eventstore::server

#endif
