// transport.hpp: how the gRPC server meets the network: TLS or plaintext credentials from the
// `tls` section, and keepalive and stream limits from the `connections` section.
#ifndef EVENTSTORE_SERVER_TRANSPORT_HPP
#define EVENTSTORE_SERVER_TRANSPORT_HPP

#include <memory>

#include <grpcpp/grpcpp.h>

#include "config/config.hpp"

namespace eventstore::server {

// TLS credentials (requiring and verifying a client certificate when `client_ca_file` is set),
// or plaintext ones when TLS is not configured.
std::shared_ptr<grpc::ServerCredentials> server_credentials(const TlsConfig& tls);

// Sets keepalive and the per-connection stream limit on `builder`.
void apply_connection_limits(const ConnectionConfig& connections, grpc::ServerBuilder& builder);

// What start-up logs about the transport: "TLS", "mutual TLS" or "plaintext".
const char* transport_name(const TlsConfig& tls);

}  // namespace eventstore::server

#endif
