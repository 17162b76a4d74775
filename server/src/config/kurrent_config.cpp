#include "config/kurrent_config.hpp"

namespace eventstore::server {

KurrentProtocolConfig parse_kurrent(const Section& root) {
    const Section section(root.child("kurrent"), "kurrent", {"enabled"}, root.source());
    KurrentProtocolConfig config;
    config.enabled = section.flag("enabled", config.enabled);
    return config;
}

}  // namespace eventstore::server
