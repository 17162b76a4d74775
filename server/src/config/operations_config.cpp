#include "config/operations_config.hpp"

namespace eventstore::server {

ConnectionConfig parse_connections(const Section& root) {
    const Section section(root.child("connections"), "connections",
                          {"keepalive_time_ms", "keepalive_timeout_ms", "min_client_ping_interval_ms",
                           "max_concurrent_streams", "max_subscriptions_per_connection"},
                          root.source());
    ConnectionConfig config;
    constexpr uint64_t kDay = 24ull * 3600 * 1000;
    config.keepalive_time = std::chrono::milliseconds(
        section.number("keepalive_time_ms", config.keepalive_time.count(), 1000, kDay));
    config.keepalive_timeout = std::chrono::milliseconds(
        section.number("keepalive_timeout_ms", config.keepalive_timeout.count(), 100, kDay));
    config.min_client_ping_interval = std::chrono::milliseconds(section.number(
        "min_client_ping_interval_ms", config.min_client_ping_interval.count(), 1000, kDay));
    config.max_concurrent_streams = static_cast<uint32_t>(
        section.number("max_concurrent_streams", config.max_concurrent_streams, 0, INT32_MAX));
    config.max_subscriptions_per_connection = static_cast<uint32_t>(section.number(
        "max_subscriptions_per_connection", config.max_subscriptions_per_connection, 0, INT32_MAX));
    return config;
}

MetricsConfig parse_metrics(const Section& root) {
    const Section section(root.child("metrics"), "metrics", {"listen"}, root.source());
    MetricsConfig config;
    config.listen = section.text("listen", config.listen);
    if (!config.listen.empty() && config.listen.find(':') == std::string::npos) {
        section.fail(section.child("listen"),
                     "metrics.listen must be HOST:PORT, got '" + config.listen + "'");
    }
    return config;
}

}  // namespace eventstore::server
