// plugin_options.hpp: a backend's `options` subtree as the plugin receives it in es_open_params
// (docs/plugin-abi.md, Options): its YAML text and its flattened key/value pairs. Made once, when
// the YAML is read, so that what is kept and handed on is plain data. Used by the config parser
// (backend.options) and by eventstore-conformance (--config), so that a plugin gets its options
// alike from both.
#ifndef EVENTSTORE_SERVER_PLUGIN_OPTIONS_HPP
#define EVENTSTORE_SERVER_PLUGIN_OPTIONS_HPP

#include <string>
#include <utility>
#include <vector>

namespace YAML {
class Node;
}

namespace eventstore::server {

struct PluginOptions {
    // The subtree re-emitted by yaml-cpp (not the file's bytes); empty when absent or null.
    std::string yaml;
    // Nested keys joined with '.', sequence items numbered ("hosts.0"), a null value as "".
    std::vector<std::pair<std::string, std::string>> pairs;
};

// An absent or null node gives no options. Throws what yaml-cpp throws (callers turn it into a
// Status): the config parser has checked that `options` is a mapping.
PluginOptions plugin_options_from_yaml(const YAML::Node& options);

}  // namespace eventstore::server

#endif
