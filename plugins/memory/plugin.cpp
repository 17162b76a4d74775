// The memory backend's entry point: the exported symbol and the store factory.
#include <memory>
#include <string>

#include "eventstore/plugin.hpp"
#include "memory_options.hpp"
#include "memory_store.hpp"

namespace {

using eventstore::Result;
using eventstore::plugin::OpenContext;
using eventstore::plugin::AsyncStore;

Result<std::shared_ptr<AsyncStore>> open_memory_store(const OpenContext& context) {
    auto options = eventstore::memory::parse_memory_options(context.options);
    if (!options.ok()) return options.status();
    const uint64_t max_bytes = options.value().max_bytes;
    context.host.log(ES_LOG_INFO,
                     "memory backend: events live in process memory and do not survive it; "
                     "max_bytes " + (max_bytes == 0 ? "unlimited" : std::to_string(max_bytes)));
    return std::shared_ptr<AsyncStore>(
        std::make_shared<eventstore::memory::MemoryStore>(options.value(), context.host));
}

}  // namespace

EVENTSTORE_PLUGIN("memory", "0.1.0", ES_CAP_COMMIT_NOTIFICATIONS | ES_CAP_STREAM_LIFECYCLE,
                  open_memory_store)
