// rpc_observer.hpp: a gRPC server interceptor that sees every call start and end. At the start it
// gives the call its request id (request_id.hpp: the client's `x-request-id`, or a UUID v7 the
// server makes), before the handler runs, so an error the handler makes can name it. At the end
// it records the call's metrics (server_metrics.hpp) and, for a call that fails, logs one line
// with that request id and returns the id to the client in the `x-request-id` trailer.
#ifndef EVENTSTORE_SERVER_RPC_OBSERVER_HPP
#define EVENTSTORE_SERVER_RPC_OBSERVER_HPP

#include <grpcpp/support/server_interceptor.h>

namespace eventstore::server {

class RpcObserverFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
public:
    grpc::experimental::Interceptor* CreateServerInterceptor(
        grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace eventstore::server

#endif
