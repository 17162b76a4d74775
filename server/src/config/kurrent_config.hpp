// kurrent_config.hpp: the `kurrent` section of the config: whether the server also speaks
// KurrentDB's client protocol on its port (docs/kurrent-protocol.md).
#ifndef EVENTSTORE_SERVER_KURRENT_CONFIG_HPP
#define EVENTSTORE_SERVER_KURRENT_CONFIG_HPP

#include "config/config_section.hpp"

namespace eventstore::server {

struct KurrentProtocolConfig {
    bool enabled = true;  // the services of event_store.client.* beside eventstore.v1
};

KurrentProtocolConfig parse_kurrent(const Section& root);

}  // namespace eventstore::server

#endif
