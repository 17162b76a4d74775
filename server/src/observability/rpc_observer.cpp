#include "observability/rpc_observer.hpp"

#include <chrono>
#include <mutex>

#include <grpcpp/server_context.h>
#include <spdlog/spdlog.h>

#include "eventstore/v1/eventstore.pb.h"
#include "observability/request_id.hpp"
#include "observability/server_metrics.hpp"

namespace eventstore::server {
namespace {

using Hook = grpc::experimental::InterceptionHookPoints;

// The level of the log line for a failed call: server-side trouble is an error, refusals an
// operator should see are warnings, and the contract's everyday outcomes are debug. UNIMPLEMENTED
// outside eventstore.v1 is a method or a feature this server does not serve (a KurrentDB client
// asking for Gossip, a system stream): the client's choice, not trouble of the server.
spdlog::level::level_enum level_of(grpc::StatusCode code, Rpc rpc) {
    if (code == grpc::StatusCode::UNIMPLEMENTED && rpc == Rpc::other) return spdlog::level::warn;
    if (is_backend_failure(code)) return spdlog::level::err;
    switch (code) {
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return spdlog::level::warn;
    default: return spdlog::level::debug;
    }
}

class RpcObserver : public grpc::experimental::Interceptor {
public:
    explicit RpcObserver(grpc::experimental::ServerRpcInfo* info)
        : info_(info), rpc_(rpc_of(info->method())), started_(std::chrono::steady_clock::now()) {
        std::lock_guard lock(mutex_);  // publishes the fields above to the hooks (see mutex_)
        if (rpc_ == Rpc::subscribe) server_metrics().live_subscriptions.add(1);
    }
    ~RpcObserver() override {
        std::lock_guard lock(mutex_);
        if (rpc_ == Rpc::subscribe) server_metrics().live_subscriptions.add(-1);
    }

    void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
        observe(methods);
        methods->Proceed();
    }

private:
    void observe(grpc::experimental::InterceptorBatchMethods* methods) {
        std::lock_guard lock(mutex_);
        if (methods->QueryInterceptionHookPoint(Hook::POST_RECV_INITIAL_METADATA)) {
            assign_request_id(*methods->GetRecvInitialMetadata(), assigned_id_);
        }
        if (rpc_ == Rpc::append && methods->QueryInterceptionHookPoint(Hook::POST_RECV_MESSAGE)) {
            if (const auto* request = static_cast<const v1::AppendRequest*>(methods->GetRecvMessage())) {
                append_events_ = static_cast<uint64_t>(request->events_size());
            }
        }
        if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_MESSAGE)) count_sent(methods->GetSendMessage());
        if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_STATUS)) finished(methods);
    }

    // Subscribe's messages are raw bytes (subscriptions/response_framing.hpp): its feeds count
    // their events themselves.
    void count_sent(const void* message) {
        if (message == nullptr) return;
        uint64_t events = 0;
        switch (rpc_) {
        case Rpc::read_stream: events = static_cast<const v1::ReadStreamResponse*>(message)->events_size(); break;
        case Rpc::read_all: events = static_cast<const v1::ReadAllResponse*>(message)->events_size(); break;
        default: return;
        }
        server_metrics().events_sent[static_cast<size_t>(rpc_)].add(events);
    }

    void finished(grpc::experimental::InterceptorBatchMethods* methods) {
        const grpc::Status status = methods->GetSendStatus();
        const auto rpc = static_cast<size_t>(rpc_);
        const auto code = static_cast<size_t>(status.error_code());
        ServerMetrics& metrics = server_metrics();
        if (code < kCodeCount) metrics.requests[rpc][code].add();
        metrics.latency[rpc].observe(static_cast<uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_)
                .count()));
        if (status.ok()) {
            if (rpc_ == Rpc::append) {
                metrics.appended_events.add(append_events_);
                metrics.append_batch.observe(append_events_);
            }
            return;
        }
        const std::string id = request_id(*info_->server_context());
        methods->GetSendTrailingMetadata()->emplace("x-request-id", id);
        spdlog::log(level_of(status.error_code(), rpc_), "request {}: {} from {} failed with {}: {}", id,
                    info_->method(), info_->server_context()->peer(), code_name(status.error_code()),
                    status.error_message());
    }

    // Under the callback API (Subscribe) the hooks of one call run on different gRPC threads,
    // ordered by gRPC core, which ThreadSanitizer cannot see; the fields below are also guarded
    // by this lock (one uncontended lock per hook), so that order is visible to it.
    std::mutex mutex_;
    grpc::experimental::ServerRpcInfo* info_;
    Rpc rpc_;
    std::chrono::steady_clock::time_point started_;
    uint64_t append_events_ = 0;
    // The id assign_request_id made when the client sent none (or none usable); the call's
    // metadata refers to it, and this observer lives as long as the call.
    std::string assigned_id_;
};

}  // namespace

grpc::experimental::Interceptor* RpcObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
    return new RpcObserver(info);
}

}  // namespace eventstore::server
