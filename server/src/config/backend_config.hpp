// backend_config.hpp: the `backend` section of the config: which plugin serves the events, where
// it is looked up, the options handed to it and how long one call to it may take.
#ifndef EVENTSTORE_SERVER_BACKEND_CONFIG_HPP
#define EVENTSTORE_SERVER_BACKEND_CONFIG_HPP

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "config/config_section.hpp"
#include "config/plugin_options.hpp"

namespace eventstore::server {

struct BackendConfig {
    std::string plugin = "memory";                   // short name or path
    std::vector<std::filesystem::path> plugin_dirs;  // config's, then the install directory
    PluginOptions options;                           // handed to the plugin as they are
    // The longest one backend call may take when the client's deadline is not sooner.
    std::chrono::milliseconds timeout{30000};
};

// The `backend` section. Relative plugin_dirs are taken from `base_dir`; the install directory
// is always searched last. `options` must be a mapping; the server does not look inside.
BackendConfig parse_backend(const Section& root, const std::filesystem::path& base_dir);

}  // namespace eventstore::server

#endif
