// server_metrics.hpp: what eventstored counts, process-wide (like Prometheus' default registry:
// every server in the process adds to the same numbers). The names, labels and buckets are listed
// in docs/operations.md. Recording is lock-free (metrics.hpp); render() builds one scrape.
#ifndef EVENTSTORE_SERVER_SERVER_METRICS_HPP
#define EVENTSTORE_SERVER_SERVER_METRICS_HPP

#include <array>
#include <string>
#include <string_view>

#include <grpcpp/support/status.h>

#include "observability/metrics.hpp"

namespace eventstore::server {

// The RPCs that get their own label; health and reflection calls count as `other`.
enum class Rpc {
    append,
    read_stream,
    read_all,
    subscribe,
    delete_stream,
    tombstone_stream,
    truncate_stream,
    set_stream_retention,
    get_stream_state,
    other
};
inline constexpr size_t kRpcCount = 10;
inline constexpr size_t kCodeCount = 17;  // grpc::StatusCode OK (0) .. UNAUTHENTICATED (16)

// A gRPC method path ("/eventstore.v1.EventStore/Append") to its label.
Rpc rpc_of(std::string_view method);
std::string_view code_name(grpc::StatusCode code);

// 100 µs .. 10 s, in microseconds.
struct LatencyBuckets {
    static constexpr std::array<uint64_t, 15> bounds{100,    250,    500,     1000,    2500,
                                                     5000,   10000,  25000,   50000,   100000,
                                                     250000, 500000, 1000000, 2500000, 10000000};
    static constexpr double scale = 1e6;
};
// Events per append: 1 .. 10000.
struct BatchBuckets {
    static constexpr std::array<uint64_t, 8> bounds{1, 2, 5, 10, 50, 100, 1000, 10000};
    static constexpr double scale = 1;
};
// Positions a subscriber is behind the head: 0 .. 1,000,000.
struct LagBuckets {
    static constexpr std::array<uint64_t, 8> bounds{0, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    static constexpr double scale = 1;
};

struct ServerMetrics {
    std::array<std::array<metrics::Counter, kCodeCount>, kRpcCount> requests;  // by rpc, code
    std::array<metrics::Histogram<LatencyBuckets>, kRpcCount> latency;         // by rpc
    metrics::Counter appended_events;
    metrics::Histogram<BatchBuckets> append_batch;
    std::array<metrics::Counter, kRpcCount> events_sent;  // read_stream, read_all, subscribe
    metrics::Gauge live_subscriptions;
    metrics::Counter refused_subscriptions;  // over connections.max_subscriptions_per_connection
    metrics::Histogram<LagBuckets> subscriber_lag;
    metrics::Counter tail_reads;          // backend read_all calls of the subscriptions' tail
    metrics::Counter tail_notifications;  // commit notifications that woke the tail
    metrics::Counter subscriber_overflows;  // subscribers that left the tail, their buffer full
    // By code; only what the backend returned (rpc/errors.hpp, backend_to_grpc).
    std::array<metrics::Counter, kCodeCount> backend_errors;

    // The Prometheus text of every metric above.
    std::string render() const;
};

ServerMetrics& server_metrics();

// True for the codes that mean the backend failed (rather than refused a request by the
// contract): UNAVAILABLE, INTERNAL, UNIMPLEMENTED, DEADLINE_EXCEEDED, UNKNOWN, DATA_LOSS, ABORTED.
bool is_backend_failure(grpc::StatusCode code);

}  // namespace eventstore::server

#endif
