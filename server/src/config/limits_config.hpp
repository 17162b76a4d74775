// limits_config.hpp: the `limits` section of the config: what the server refuses before a request
// reaches the backend. The same es_limits are handed to the backend, which applies them too.
#ifndef EVENTSTORE_SERVER_LIMITS_CONFIG_HPP
#define EVENTSTORE_SERVER_LIMITS_CONFIG_HPP

#include "config/config_section.hpp"
#include "eventstore/plugin.h"
#include "eventstore/validation.hpp"

namespace eventstore::server {

// The defaults are the ABI's (validation.hpp), every field set, so the server and a plugin given
// zeroes agree.
inline es_limits default_limits() { return validation::effective_limits(nullptr); }

// The `limits` section. A default_page_size left out never exceeds the max_page_size given.
es_limits parse_limits(const Section& root);

}  // namespace eventstore::server

#endif
