// memory_options.hpp: the memory backend's options (the `options` subtree of its config).
//
//   max_bytes: 67108864   # optional cap on the event bytes held; 0 or absent = unlimited
#ifndef EVENTSTORE_PLUGINS_MEMORY_MEMORY_OPTIONS_HPP
#define EVENTSTORE_PLUGINS_MEMORY_MEMORY_OPTIONS_HPP

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "eventstore/status.hpp"

namespace eventstore::memory {

struct MemoryOptions {
    // Cap on the bytes held, counted per event as validation::event_size plus the stream id.
    // 0 = unlimited.
    uint64_t max_bytes = 0;
};

// Reads the flattened options (OpenContext::options). An unknown key or a bad value:
// INVALID_ARGUMENT naming it.
Result<MemoryOptions> parse_memory_options(
    const std::vector<std::pair<std::string, std::string>>& options);

}  // namespace eventstore::memory

#endif
