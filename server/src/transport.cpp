#include "transport.hpp"

namespace eventstore::server {

std::shared_ptr<grpc::ServerCredentials> server_credentials(const TlsConfig& tls) {
    if (!tls.enabled()) return grpc::InsecureServerCredentials();
    grpc::SslServerCredentialsOptions options(
        tls.mutual() ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                     : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
    options.pem_root_certs = tls.client_ca_pem;
    options.pem_key_cert_pairs.push_back({tls.key_pem, tls.cert_pem});
    return grpc::SslServerCredentials(options);
}

void apply_connection_limits(const ConnectionConfig& connections, grpc::ServerBuilder& builder) {
    const auto ms = [](std::chrono::milliseconds value) { return static_cast<int>(value.count()); };
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, ms(connections.keepalive_time));
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, ms(connections.keepalive_timeout));
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                               ms(connections.min_client_ping_interval));
    // A client's pings count as allowed between calls too (KurrentDB's clients ping every 10 s,
    // calls or not); without this gRPC polices them with a two-hour minimum and closes the
    // connection after a few.
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    if (connections.max_concurrent_streams > 0) {
        builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                                   static_cast<int>(connections.max_concurrent_streams));
    }
}

const char* transport_name(const TlsConfig& tls) {
    if (!tls.enabled()) return "plaintext";
    return tls.mutual() ? "mutual TLS" : "TLS";
}

}  // namespace eventstore::server
