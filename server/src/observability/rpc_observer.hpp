// rpc_observer.hpp: a gRPC server interceptor that sees every call end: it records the call's
// metrics (server_metrics.hpp) and, for a call that fails, logs one line with a request id and
// returns that id to the client in the `x-request-id` trailer. A client may choose the id by
// sending `x-request-id` itself; otherwise the server makes one (a UUID v7).
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
