// operations_config.hpp: the `connections` and `metrics` sections of the config: gRPC keepalive
// and stream limits, the cap on subscriptions per connection, and the HTTP address of /metrics
// and the health probes (docs/operations.md).
#ifndef EVENTSTORE_SERVER_OPERATIONS_CONFIG_HPP
#define EVENTSTORE_SERVER_OPERATIONS_CONFIG_HPP

#include <chrono>
#include <cstdint>
#include <string>

#include "config/config_section.hpp"

namespace eventstore::server {

// The defaults are gRPC's own, so a config without this section behaves as gRPC does, but for
// the clients' ping interval.
struct ConnectionConfig {
    std::chrono::milliseconds keepalive_time{7200000};            // server pings an idle client
    std::chrono::milliseconds keepalive_timeout{20000};           // ... and closes without an ack
    // Clients may ping this often: KurrentDB's clients ping every 10 s (gRPC's own default, 5
    // minutes, closed their idle subscriptions after about 40 s).
    std::chrono::milliseconds min_client_ping_interval{5000};
    uint32_t max_concurrent_streams = 0;  // calls at once on one connection; 0: no limit
    uint32_t max_subscriptions_per_connection = 1000;  // 0: no limit
};

struct MetricsConfig {
    std::string listen;  // HOST:PORT of /metrics, /health/live, /health/ready; empty: none
};

ConnectionConfig parse_connections(const Section& root);
MetricsConfig parse_metrics(const Section& root);

}  // namespace eventstore::server

#endif
