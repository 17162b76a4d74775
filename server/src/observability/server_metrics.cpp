#include "observability/server_metrics.hpp"

namespace eventstore::server {
namespace {

constexpr std::array<std::string_view, kRpcCount> kRpcNames{
    "Append",          "ReadStream",     "ReadAll",           "Subscribe",      "DeleteStream",
    "TombstoneStream", "TruncateStream", "SetStreamRetention", "GetStreamState", "other"};
constexpr std::array<std::string_view, kCodeCount> kCodeNames{
    "OK",        "CANCELLED",         "UNKNOWN",          "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS",    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",      "UNIMPLEMENTED",    "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

std::string rpc_label(size_t rpc) { return "rpc=\"" + std::string(kRpcNames[rpc]) + "\""; }
std::string code_label(size_t code) { return "code=\"" + std::string(kCodeNames[code]) + "\""; }

// A family of one sample without labels.
void single(metrics::Exposition& out, std::string_view name, std::string_view type,
            std::string_view help, double value) {
    out.family(name, type, help);
    out.sample(name, "", value);
}

}  // namespace

Rpc rpc_of(std::string_view method) {
    constexpr std::string_view kService = "/eventstore.v1.EventStore/";
    if (method.substr(0, kService.size()) != kService) return Rpc::other;
    const std::string_view name = method.substr(kService.size());
    for (size_t i = 0; i + 1 < kRpcCount; ++i) {
        if (name == kRpcNames[i]) return static_cast<Rpc>(i);
    }
    return Rpc::other;
}

std::string_view code_name(grpc::StatusCode code) {
    const auto index = static_cast<size_t>(code);
    return index < kCodeCount ? kCodeNames[index] : "UNKNOWN";
}

bool is_backend_failure(grpc::StatusCode code) {
    switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::DATA_LOSS:
    case grpc::StatusCode::ABORTED: return true;
    default: return false;
    }
}

ServerMetrics& server_metrics() {
    static ServerMetrics metrics;
    return metrics;
}

std::string ServerMetrics::render() const {
    metrics::Exposition out;
    out.family("eventstore_requests_total", "counter",
               "gRPC calls finished, by RPC and status code (errors by code)");
    for (size_t rpc = 0; rpc < kRpcCount; ++rpc) {
        for (size_t code = 0; code < kCodeCount; ++code) {
            const uint64_t value = requests[rpc][code].value();
            if (value > 0 || code == 0) {
                out.sample("eventstore_requests_total", rpc_label(rpc) + "," + code_label(code),
                           static_cast<double>(value));
            }
        }
    }
    out.family("eventstore_request_duration_seconds", "histogram",
               "Time from a call's arrival to its status, by RPC (Subscribe: the subscription's life)");
    for (size_t rpc = 0; rpc < kRpcCount; ++rpc) {
        out.histogram("eventstore_request_duration_seconds", rpc_label(rpc), latency[rpc]);
    }
    single(out, "eventstore_appended_events_total", "counter", "Events written by successful appends",
           static_cast<double>(appended_events.value()));
    out.family("eventstore_append_events", "histogram", "Events per successful append");
    out.histogram("eventstore_append_events", "", append_batch);
    out.family("eventstore_sent_events_total", "counter",
               "Events sent to clients, by RPC (ReadStream, ReadAll, Subscribe)");
    for (const Rpc rpc : {Rpc::read_stream, Rpc::read_all, Rpc::subscribe}) {
        const auto index = static_cast<size_t>(rpc);
        out.sample("eventstore_sent_events_total", rpc_label(index),
                   static_cast<double>(events_sent[index].value()));
    }
    single(out, "eventstore_live_subscriptions", "gauge", "Subscribe calls in progress",
           static_cast<double>(live_subscriptions.value()));
    single(out, "eventstore_refused_subscriptions_total", "counter",
           "Subscribe calls refused by connections.max_subscriptions_per_connection",
           static_cast<double>(refused_subscriptions.value()));
    out.family("eventstore_subscriber_lag_positions", "histogram",
               "Global positions between the committed head and what a subscriber has been "
               "sent, after each page it is given");
    out.histogram("eventstore_subscriber_lag_positions", "", subscriber_lag);
    single(out, "eventstore_subscription_tail_reads_total", "counter",
           "Backend read_all calls of the subscriptions' shared tail (live delivery)",
           static_cast<double>(tail_reads.value()));
    single(out, "eventstore_subscription_tail_notifications_total", "counter",
           "Commit notifications that woke the subscriptions' shared tail",
           static_cast<double>(tail_notifications.value()));
    single(out, "eventstore_subscription_overflows_total", "counter",
           "Subscribers that left the shared tail because their buffer was full (they catch up "
           "on their own)",
           static_cast<double>(subscriber_overflows.value()));
    out.family("eventstore_backend_errors_total", "counter",
               "Backend failures (not contract refusals) that reached a client, by status code");
    for (size_t code = 0; code < kCodeCount; ++code) {
        if (is_backend_failure(static_cast<grpc::StatusCode>(code))) {
            out.sample("eventstore_backend_errors_total", code_label(code),
                       static_cast<double>(backend_errors[code].value()));
        }
    }
    return out.text();
}

}  // namespace eventstore::server
