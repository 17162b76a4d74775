#include "config/subscription_config.hpp"

#include <algorithm>

namespace eventstore::server {

SubscriptionConfig parse_subscriptions(const Section& root, const es_limits& limits) {
    const Section section(root.child("subscriptions"), "subscriptions",
                          {"checkpoint_interval", "checkpoint_period_ms", "batch_size",
                           "poll_interval_ms", "max_batch_events", "max_buffered_events",
                           "max_buffered_bytes"},
                          root.source());
    SubscriptionConfig config;
    config.checkpoint_interval =
        section.number("checkpoint_interval", config.checkpoint_interval, 1, 1000000000);
    config.checkpoint_period = std::chrono::milliseconds(
        section.number("checkpoint_period_ms", config.checkpoint_period.count(), 10, 3600000));
    config.batch_size = static_cast<uint32_t>(
        section.number("batch_size", std::min(config.batch_size, limits.max_page_size), 1,
                       limits.max_page_size));
    config.poll_interval = std::chrono::milliseconds(
        section.number("poll_interval_ms", config.poll_interval.count(), 1, 60000));
    config.max_batch_events = static_cast<uint32_t>(
        section.number("max_batch_events", config.max_batch_events, 1, 100000));
    config.max_buffered_events =
        section.number("max_buffered_events", config.max_buffered_events, 1, 100000000);
    config.max_buffered_bytes =
        section.number("max_buffered_bytes", config.max_buffered_bytes, 1024, 1ull << 40);
    return config;
}

}  // namespace eventstore::server
