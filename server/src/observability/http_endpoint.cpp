#include "observability/http_endpoint.hpp"

#include <civetweb.h>
#include <spdlog/spdlog.h>

#include "observability/server_metrics.hpp"

namespace eventstore::server {
namespace {

int respond(mg_connection* connection, int status, const char* reason, const char* content_type,
            const std::string& body) {
    mg_printf(connection,
              "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
              "Cache-Control: no-store\r\nConnection: close\r\n\r\n",
              status, reason, content_type, body.size());
    mg_write(connection, body.data(), body.size());
    return status;
}

// civetweb writes its own errors through this callback; they join the server's log.
int log_message(const mg_connection*, const char* message) {
    spdlog::warn("metrics http: {}", message);
    return 1;
}

}  // namespace

Result<std::unique_ptr<HttpEndpoint>> HttpEndpoint::start(const std::string& listen, Readiness ready) {
    std::unique_ptr<HttpEndpoint> endpoint(new HttpEndpoint(std::move(ready)));
    const char* options[] = {"listening_ports", listen.c_str(), "num_threads", "2",
                             "request_timeout_ms", "10000", nullptr};
    mg_callbacks callbacks{};
    callbacks.log_message = log_message;
    char error_text[256] = "";
    unsigned error_code = 0;
    mg_init_data init{&callbacks, endpoint.get(), options};
    mg_error_data error{&error_code, error_text, sizeof(error_text)};
    endpoint->context_ = mg_start2(&init, &error);
    if (endpoint->context_ == nullptr) {
        return Status(Code::unavailable, "cannot serve metrics on " + listen + ": " +
                                             (error_text[0] ? error_text : "civetweb failed to start") +
                                             " (metrics.listen)");
    }
    mg_server_port bound[4];
    const int count = mg_get_server_ports(endpoint->context_, 4, bound);
    endpoint->port_ = count > 0 ? bound[0].port : 0;
    mg_set_request_handler(endpoint->context_, "/metrics$", serve_metrics, endpoint.get());
    mg_set_request_handler(endpoint->context_, "/health/live$", serve_live, endpoint.get());
    mg_set_request_handler(endpoint->context_, "/health/ready$", serve_ready, endpoint.get());
    return endpoint;
}

HttpEndpoint::~HttpEndpoint() {
    if (context_ != nullptr) mg_stop(context_);
}

int HttpEndpoint::serve_metrics(mg_connection* connection, void*) {
    return respond(connection, 200, "OK", "text/plain; version=0.0.4; charset=utf-8",
                   server_metrics().render());
}

int HttpEndpoint::serve_live(mg_connection* connection, void*) {
    return respond(connection, 200, "OK", "text/plain; charset=utf-8", "live\n");
}

int HttpEndpoint::serve_ready(mg_connection* connection, void* self) {
    const Status ready = static_cast<HttpEndpoint*>(self)->ready_();
    if (ready.ok()) return respond(connection, 200, "OK", "text/plain; charset=utf-8", "ready\n");
    return respond(connection, 503, "Service Unavailable", "text/plain; charset=utf-8",
                   "not ready: " + ready.message() + "\n");
}

}  // namespace eventstore::server
