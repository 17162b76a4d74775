// config.hpp: eventstored's configuration, read from one YAML file. Every key is documented in
// docs/configuration.md. Unknown keys, wrong types and bad values are errors naming the key and
// its line, so a typo never silently falls back to a default.
#ifndef EVENTSTORE_SERVER_CONFIG_HPP
#define EVENTSTORE_SERVER_CONFIG_HPP

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/operations_config.hpp"
#include "config/security_config.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::server {

struct BackendConfig {
    std::string plugin = "memory";                   // short name or path
    std::vector<std::filesystem::path> plugin_dirs;  // config's, then the install directory
    YAML::Node options;                              // handed to the plugin as-is
    // The longest one backend call may take when the client's deadline is not sooner.
    std::chrono::milliseconds timeout{30000};
};

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

struct LoggingConfig {
    std::string level = "info";  // trace, debug, info, warn, error
    bool json = false;           // format: plain | json
};

struct Config {
    std::string listen = "127.0.0.1:50051";
    BackendConfig backend;
    es_limits limits{};  // every field set (defaults filled)
    SubscriptionConfig subscriptions;
    LoggingConfig logging;
    std::chrono::milliseconds shutdown_grace{5000};
    TlsConfig tls;
    AuthConfig auth;
    ConnectionConfig connections;
    MetricsConfig metrics;
};

// Reads and checks a config file. Relative plugin_dirs and file paths (tls, auth.tokens_file)
// are taken from the file's own folder.
Result<Config> load_config(const std::filesystem::path& file);

// The same from YAML text; `base_dir` resolves relative paths; `source` names it in errors.
Result<Config> parse_config(const std::string& yaml, const std::filesystem::path& base_dir,
                            const std::string& source);

}  // namespace eventstore::server

#endif
