// eventstore/loader/options.hpp: turns a backend's YAML `options` subtree into what es_open_params
// carries: its YAML text and its flattened key/value pairs.
#ifndef EVENTSTORE_LOADER_OPTIONS_HPP
#define EVENTSTORE_LOADER_OPTIONS_HPP

#include <yaml-cpp/yaml.h>

#include "eventstore/loader/store.hpp"

namespace eventstore::loader {

// Nested keys are joined with '.', sequence items numbered ("hosts.0"); a null node gives nothing.
OpenOptions options_from_yaml(const YAML::Node& options);

}  // namespace eventstore::loader

#endif
