// http_endpoint.hpp: the operator's HTTP port (metrics.listen): `/metrics` in the Prometheus text
// format, `/health/live` (the process answers) and `/health/ready` (it serves and its backend
// answers), served by civetweb (Debian's libcivetweb) on its own threads, apart from gRPC.
#ifndef EVENTSTORE_SERVER_HTTP_ENDPOINT_HPP
#define EVENTSTORE_SERVER_HTTP_ENDPOINT_HPP

#include <functional>
#include <memory>
#include <string>

#include "eventstore/status.hpp"

struct mg_context;
struct mg_connection;

namespace eventstore::server {

class HttpEndpoint {
public:
    // OK when ready to take traffic; otherwise why not (the 503 body says it).
    using Readiness = std::function<Status()>;

    // Listens on `listen` (HOST:PORT; port 0 picks a free one). Fails naming the address.
    static Result<std::unique_ptr<HttpEndpoint>> start(const std::string& listen, Readiness ready);
    ~HttpEndpoint();
    HttpEndpoint(const HttpEndpoint&) = delete;
    HttpEndpoint& operator=(const HttpEndpoint&) = delete;

    int port() const { return port_; }

private:
    explicit HttpEndpoint(Readiness ready) : ready_(std::move(ready)) {}
    static int serve_metrics(mg_connection* connection, void* self);
    static int serve_live(mg_connection* connection, void* self);
    static int serve_ready(mg_connection* connection, void* self);

    Readiness ready_;
    mg_context* context_ = nullptr;
    int port_ = 0;
};

}  // namespace eventstore::server

#endif
