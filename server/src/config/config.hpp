// config.hpp: eventstored's configuration, read from one YAML file. Every key is documented in
// docs/configuration.md. Unknown keys, wrong types and bad values are errors naming the key and
// its line, so a typo never silently falls back to a default.
//
// The initialisers of these structs are the defaults, stated once: each section's parser starts
// from a default-constructed struct and changes only what the file sets.
#ifndef EVENTSTORE_SERVER_CONFIG_HPP
#define EVENTSTORE_SERVER_CONFIG_HPP

#include <chrono>
#include <filesystem>
#include <string>

#include "config/backend_config.hpp"
#include "config/kurrent_config.hpp"
#include "config/limits_config.hpp"
#include "config/operations_config.hpp"
#include "config/security_config.hpp"
#include "config/subscription_config.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::server {

struct LoggingConfig {
    std::string level = "info";  // trace, debug, info, warn, error
    bool json = false;           // format: plain | json
};

struct Config {
    std::string listen = "127.0.0.1:50051";
    BackendConfig backend;
    es_limits limits = default_limits();  // every field set
    SubscriptionConfig subscriptions;
    LoggingConfig logging;
    std::chrono::milliseconds shutdown_grace{5000};
    TlsConfig tls;
    AuthConfig auth;
    ConnectionConfig connections;
    MetricsConfig metrics;
    KurrentProtocolConfig kurrent;
};

// Reads and checks a config file. Relative plugin_dirs and file paths (tls, auth.tokens_file)
// are taken from the file's own folder.
Result<Config> load_config(const std::filesystem::path& file);

// Only the `auth` section of a config file (with its tokens_file), checked as load_config checks
// it; the other sections are not read, so an error elsewhere does not stop it. What a reload of
// the tokens reads (SIGHUP).
Result<AuthConfig> load_auth_config(const std::filesystem::path& file);

// The same from YAML text; `base_dir` resolves relative paths; `source` names it in errors.
Result<Config> parse_config(const std::string& yaml, const std::filesystem::path& base_dir,
                            const std::string& source);

}  // namespace eventstore::server

#endif
