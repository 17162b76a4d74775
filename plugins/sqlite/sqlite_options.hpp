// sqlite_options.hpp: the SQLite backend's options (the `options` subtree of its config).
//
//   path: /var/lib/eventstore/events.db   # the database file (required); created when missing
//   synchronous: full                     # full | normal (docs/sqlite-backend.md, "Durability")
//   readers: 8                            # connections for reads, made as needed
//   busy_timeout_ms: 5000                 # how long a call waits for a lock another process holds
//   max_bytes: 0                          # cap on the database file's size; 0 = none
#ifndef EVENTSTORE_PLUGINS_SQLITE_SQLITE_OPTIONS_HPP
#define EVENTSTORE_PLUGINS_SQLITE_SQLITE_OPTIONS_HPP

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "eventstore/status.hpp"

namespace eventstore::sqlite {

enum class Synchronous {
    full,    // every commit is fsynced: an acknowledged append survives a power cut
    normal,  // the WAL is fsynced at checkpoints only: a power cut may lose the last commits
};

struct SqliteOptions {
    std::string path;
    Synchronous synchronous = Synchronous::full;
    uint32_t readers = 8;
    uint32_t busy_timeout_ms = 5000;
    uint64_t max_bytes = 0;
};

// Reads the flattened options (OpenContext::options). An unknown key, a bad value or a missing
// path: INVALID_ARGUMENT naming the key.
Result<SqliteOptions> parse_sqlite_options(
    const std::vector<std::pair<std::string, std::string>>& options);

}  // namespace eventstore::sqlite

#endif
