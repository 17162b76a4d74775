// postgres_options.hpp: the PostgreSQL backend's options (the `options` subtree of its config).
//
//   dsn: "host=/run/postgresql dbname=events"   # a libpq connection string or URI
//   dsn_env: EVENTSTORE_PG_DSN                  # ... or the name of a variable that holds it
//   pool_size: 8                                # connections for appends and reads
//   statement_timeout_ms: 15000                 # per statement; 0 = none
//   connect_timeout_s: 5                        # libpq connect_timeout, unless the DSN sets one
//   schema: eventstore                          # where the tables live
//   migrate: auto                               # auto | check | off
//   sweep_interval_ms: 60000                    # the retention sweep's period
//
// Neither dsn nor dsn_env: libpq's defaults (the PG* environment variables, the local socket).
#ifndef EVENTSTORE_PLUGINS_POSTGRES_POSTGRES_OPTIONS_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_POSTGRES_OPTIONS_HPP

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "eventstore/status.hpp"

namespace eventstore::postgres {

enum class MigrateMode {
    automatic,  // apply missing migrations at open
    check,      // refuse to open a database that misses migrations
    off,        // touch nothing; the operator migrates
};

struct PostgresOptions {
    // Resolved: dsn_env already read; connect_timeout, TCP keepalives and tcp_user_timeout
    // added when the DSN does not set them.
    std::string dsn;
    uint32_t pool_size = 8;
    uint32_t statement_timeout_ms = 15000;  // a stuck lock or server fails a call, not hangs it
    uint32_t connect_timeout_s = 5;
    std::string schema = "eventstore";  // a plain identifier: [a-z_][a-z0-9_]*, at most 48 bytes
    MigrateMode migrate = MigrateMode::automatic;
    // How often the retention sweep deletes the events retention removed (lifecycle.hpp).
    uint32_t sweep_interval_ms = 60000;
};

// Reads the flattened options (OpenContext::options). An unknown key, a bad value, both dsn and
// dsn_env, or a dsn_env naming an unset variable: INVALID_ARGUMENT naming the key.
Result<PostgresOptions> parse_postgres_options(
    const std::vector<std::pair<std::string, std::string>>& options);

// `dsn` with the connection parameter `key` set to `value` (in its key=value or URI form),
// unless the DSN names that parameter already.
std::string with_parameter(const std::string& dsn, const std::string& key,
                           const std::string& value);

}  // namespace eventstore::postgres

#endif
