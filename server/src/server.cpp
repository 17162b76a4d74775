#include "server.hpp"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

#include "grpc/health/v1/health.pb.h"
#include "observability/rpc_observer.hpp"
#include "quick_shutdown.hpp"
#include "rpc/parse_errors.hpp"
#include "transport.hpp"

namespace eventstore::server {

const char* server_version() { return EVENTSTORE_VERSION; }

Result<std::unique_ptr<Server>> Server::create(Config config) {
    std::unique_ptr<Server> server(new Server(std::move(config)));
    const BackendConfig& backend = server->config_.backend;
    auto path = loader::resolve_plugin(backend.plugin, backend.plugin_dirs);
    if (!path.ok()) return path.status();
    auto plugin = loader::Plugin::load(path.value(), server_version());
    if (!plugin.ok()) return plugin.status();
    server->plugin_ = plugin.value();

    const loader::OpenOptions options{backend.options.yaml, backend.options.pairs,
                                      server->config_.limits};
    auto store =
        server->plugin_->open(options, std::make_shared<BackendHooks>(server->notifier_));
    if (!store.ok()) return store.status();
    server->store_ = std::move(store.value());
    server->service_ = std::make_unique<EventStoreService>(*server->store_, server->notifier_,
                                                           server->config_);
    if (server->config_.kurrent.enabled) {
        server->kurrent_streams_ = std::make_unique<kurrent::StreamsService>(
            *server->service_, *server->store_, server->config_);
        server->kurrent_features_ = std::make_unique<kurrent::ServerFeaturesService>();
    }
    return server;
}

Server::~Server() { shutdown(); }

Status Server::start() {
    grpc::EnableDefaultHealthCheckService(true);
    // gRPC's built-in health service encodes its messages without protobuf, so nothing links the
    // service's descriptor and reflection cannot describe it (grpcurl: "target server does not
    // expose service"). Asking for it links the one compiled from proto/grpc/health/v1.
    grpc::health::v1::HealthCheckRequest::descriptor();
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    builder.AddListeningPort(config_.listen, server_credentials(config_.tls), &port_);
    apply_connection_limits(config_.connections, builder);
    builder.RegisterService(service_.get());
    if (kurrent_streams_) {
        builder.RegisterService(kurrent_streams_.get());
        builder.RegisterService(kurrent_features_.get());
    }
    capture_protobuf_log();
    // In this order: a request protobuf cannot parse gets its INVALID_ARGUMENT before the
    // observer records the call's status.
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
    interceptors.push_back(parse_error_interceptors());
    interceptors.push_back(std::make_unique<RpcObserverFactory>());
    interceptors.push_back(calls_.counter());
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    // An append at the byte limit, plus the proto framing of up to max_append_events events.
    const uint64_t max_request = config_.limits.max_append_bytes +
                                 uint64_t{config_.limits.max_append_events} * 256 + (1u << 20);
    builder.SetMaxReceiveMessageSize(static_cast<int>(std::min<uint64_t>(max_request, INT32_MAX)));
    // A synchronous call (ReadStream, ReadAll) holds its handler thread while the backend reads.
    // With gRPC's default of 2 idle threads, each call beyond two in flight made a thread and each
    // finished one ended it (it cost a third of the server's CPU when appends were synchronous,
    // docs/benchmarks.md). Idle threads above this number still end.
    builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                                kMaxIdleHandlerThreads);
    grpc_server_ = builder.BuildAndStart();
    if (!grpc_server_ || port_ == 0) {
        grpc_server_.reset();
        return Status(Code::unavailable, "cannot listen on " + config_.listen +
                                             " (address in use, or not an address of this host)");
    }
    if (!config_.metrics.listen.empty()) {
        auto http = HttpEndpoint::start(config_.metrics.listen, [this] { return ready(); });
        if (!http.ok()) {
            grpc_server_->Shutdown();
            grpc_server_.reset();
            return http.status();
        }
        http_ = std::move(http.value());
        spdlog::info("metrics and probes on http://{}:{}/metrics, /health/live, /health/ready",
                     config_.metrics.listen.substr(0, config_.metrics.listen.rfind(':')), http_->port());
    }
    // The server as a whole ("") and the API by its service name, as health checkers ask.
    grpc_server_->GetHealthCheckService()->SetServingStatus(true);
    grpc_server_->GetHealthCheckService()->SetServingStatus(v1::EventStore::service_full_name(),
                                                            true);
    serving_ = true;
    const std::string host = config_.listen.substr(0, config_.listen.rfind(':'));
    if (!config_.tls.enabled() && !is_loopback(config_.listen)) {
        spdlog::warn("serving plaintext on {} (tls.plaintext: true): requests, events and "
                     "tokens cross the network unencrypted", config_.listen);
    }
    spdlog::info("eventstored {} listening on {}:{} with backend {} {} (ABI {}.{}, {}); {}, "
                 "authentication {}, KurrentDB protocol {}",
                 server_version(), host, port_, plugin_->name(), plugin_->version(),
                 plugin_->abi_major(), plugin_->abi_minor(), plugin_->path().string(),
                 transport_name(config_.tls), config_.auth.enabled ? "on" : "off",
                 config_.kurrent.enabled ? "on" : "off");
    return {};
}

Status Server::reload_tokens(const std::filesystem::path& config_file) {
    const size_t in_use = service_->token_count();
    auto auth = load_auth_config(config_file);
    Status refused = auth.ok() ? Status() : auth.status();
    if (refused.ok() && config_.auth.enabled && auth->tokens.empty()) {
        refused = Status(Code::invalid_argument,
                         config_file.string() + ": auth is on and the file configures no token "
                                                "(auth.tokens or auth.tokens_file)");
    }
    if (!refused.ok()) {
        spdlog::error("token reload refused, the {} tokens in use stay: {}", in_use,
                      refused.message());
        return refused;
    }
    const TokenSet::Change change = service_->replace_tokens(auth->tokens);
    spdlog::info("tokens reloaded from {}: {} tokens ({} added, {} removed, {} changed); nothing "
                 "else is reloaded",
                 config_file.string(), auth->tokens.size(), change.added, change.removed,
                 change.changed);
    return {};
}

Status Server::backend_ready() const {
    if (!store_) return Status(Code::unavailable, "the backend store is not open");
    if (Status health = store_->check_health(); !health.ok()) {
        return Status(health.code(), "backend " + plugin_->name() + ": " + health.message());
    }
    return {};
}

Status Server::ready() const {
    if (!serving_) return Status(Code::unavailable, "the gRPC server is not serving");
    return backend_ready();
}

void Server::shutdown() {
    serving_ = false;
    if (!store_) return;
    notifier_.close();
    if (service_) service_->end_subscriptions();
    if (grpc_server_) {
        grpc_server_->GetHealthCheckService()->SetServingStatus(false);
        shut_down_quickly(*grpc_server_, calls_,
                          std::chrono::system_clock::now() + config_.shutdown_grace);
        grpc_server_->Wait();
        grpc_server_.reset();
    }
    http_.reset();
    kurrent_streams_.reset();
    kurrent_features_.reset();
    service_.reset();
    store_.reset();
    spdlog::info("eventstored stopped; backend {} closed", plugin_->name());
}

}  // namespace eventstore::server
