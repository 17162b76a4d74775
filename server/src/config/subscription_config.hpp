// subscription_config.hpp: the `subscriptions` section of the config: how a Subscribe call reads
// the backend and how often it reports checkpoints (docs/contract.md, Subscribe).
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
};

// The `subscriptions` section. A batch is a page: batch_size is at most limits.max_page_size,
// and left out it never exceeds it.
SubscriptionConfig parse_subscriptions(const Section& root, const es_limits& limits);

}  // namespace eventstore::server

#endif
