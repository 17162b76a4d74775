// subscription_config.hpp: the `subscriptions` section of the config: how subscriptions read the
// backend, how often they report checkpoints, their batches and buffers (docs/contract.md,
// Subscribe).
#ifndef EVENTSTORE_SERVER_SUBSCRIPTION_CONFIG_HPP
#define EVENTSTORE_SERVER_SUBSCRIPTION_CONFIG_HPP

#include <chrono>
#include <cstdint>

#include "config/config_section.hpp"
#include "eventstore/plugin.h"

namespace eventstore::server {

struct SubscriptionConfig {
    uint64_t checkpoint_interval = 1000;                 // scanned positions between checkpoints
    std::chrono::milliseconds checkpoint_period{1000};   // or this much time of activity
    uint32_t batch_size = 500;                           // events read from the backend at once
    std::chrono::milliseconds poll_interval{100};        // for backends without notifications
    uint32_t max_batch_events = 1000;  // the cap on a client's SubscribeRequest.max_batch_events
    // A subscriber's buffer of events not yet written to it; past either bound it leaves the
    // shared tail and catches up on its own.
    uint64_t max_buffered_events = 10000;
    uint64_t max_buffered_bytes = 16u * 1024 * 1024;
};

// The `subscriptions` section. A batch is a page: batch_size is at most limits.max_page_size,
// and left out it never exceeds it.
SubscriptionConfig parse_subscriptions(const Section& root, const es_limits& limits);

}  // namespace eventstore::server

#endif
