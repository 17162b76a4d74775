// server.hpp: eventstored as an object: loads the configured backend, serves the EventStore API
// (plus health and reflection) and shuts down gracefully. main() and the tests both use it.
#ifndef EVENTSTORE_SERVER_SERVER_HPP
#define EVENTSTORE_SERVER_SERVER_HPP

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "backend_hooks.hpp"
#include "calls_in_flight.hpp"
#include "config/config.hpp"
#include "eventstore/loader/plugin.hpp"
#include "eventstore/status.hpp"
#include "observability/http_endpoint.hpp"
#include "rpc/event_store_service.hpp"
#include "kurrent/server_features.hpp"
#include "kurrent/streams_service.hpp"
#include "subscriptions/commit_notifier.hpp"

namespace eventstore::server {

// The server's own version, from the project's version.
const char* server_version();

class Server {
public:
    // The most handler threads kept waiting for calls (gRPC's sync server option MAX_POLLERS): a
    // thread that finishes a call while this many already wait ends. It bounds idle threads only,
    // not the threads serving calls (gRPC starts another whenever too few wait).
    static constexpr int kMaxIdleHandlerThreads = 64;

    // Loads the backend and opens its store. Nothing listens yet. Fails with a message that names
    // the plugin file and what is wrong with it.
    static Result<std::unique_ptr<Server>> create(Config config);
    ~Server();

    // Starts listening on config.listen (port 0 picks a free port), and on metrics.listen when
    // set, and logs the start-up line.
    Status start();
    // The port actually bound, once started.
    int port() const { return port_; }
    // The HTTP port of /metrics and the probes, once started; 0 without metrics.listen.
    int metrics_port() const { return http_ ? http_->port() : 0; }

    // OK while the server serves and its backend answers: what /health/ready reports.
    Status ready() const;

    // Graceful stop: subscriptions end with UNAVAILABLE, new calls are refused, calls in flight get
    // until the grace period to finish, and the gRPC server stops as soon as none is left, idle
    // connections or not (quick_shutdown.hpp); then the backend is closed. Idempotent.
    void shutdown();

    // Re-reads the token list (auth.tokens and auth.tokens_file) from `config_file`, and nothing
    // else: added tokens work from the next call, removed ones are refused from their next call,
    // and subscriptions of removed (UNAUTHENTICATED) or changed (UNAVAILABLE) tokens end. A file
    // with an error, or one that leaves auth on with no token, changes nothing; the answer's
    // message names the key and line. Logs the outcome either way. Thread-safe; once started.
    Status reload_tokens(const std::filesystem::path& config_file);

    const loader::Plugin& plugin() const { return *plugin_; }

private:
    explicit Server(Config config) : config_(std::move(config)) {}
    // OK while the store is open and its store_health (ABI 1.1) answers OK. The one place
    // readiness asks the backend.
    Status backend_ready() const;

    Config config_;
    std::shared_ptr<loader::Plugin> plugin_;
    CommitNotifier notifier_;  // before store_: the store's hooks raise it until it closes
    std::unique_ptr<loader::Store> store_;
    std::unique_ptr<EventStoreService> service_;
    std::unique_ptr<kurrent::StreamsService> kurrent_streams_;  // with kurrent.enabled only
    std::unique_ptr<kurrent::ServerFeaturesService> kurrent_features_;  // likewise
    CallsInFlight calls_;  // before grpc_server_, whose interceptors count into it
    std::unique_ptr<grpc::Server> grpc_server_;
    std::unique_ptr<HttpEndpoint> http_;
    std::atomic<bool> serving_{false};
    int port_ = 0;
};

}  // namespace eventstore::server

#endif
