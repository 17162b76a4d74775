#include "fuzz_store.hpp"

#include <cstdlib>

#include "eventstore/loader/plugin.hpp"
#include "eventstore/validation.hpp"
#include "fuzz_input.hpp"

namespace eventstore::fuzz {

es_limits fuzz_limits() {
    es_limits limits = abi::make_struct<es_limits>();
    limits.max_stream_id_bytes = 32;
    limits.max_append_events = 8;
    limits.max_append_bytes = 2048;
    limits.default_page_size = 4;
    limits.max_page_size = 16;
    return validation::effective_limits(&limits);
}

std::unique_ptr<loader::Store> open_fuzz_store(std::shared_ptr<loader::StoreHooks> hooks) {
    static const auto plugin = [] {
        const char* other = std::getenv("EVENTSTORE_FUZZ_PLUGIN");
        auto loaded = loader::Plugin::load(other ? other : MEMORY_PLUGIN_PATH, "fuzz");
        require(loaded.ok(), "the memory plugin loads");
        return loaded.value();
    }();
    loader::OpenOptions options;
    options.options = {{"max_bytes", "16384"}};
    options.options_yaml = "max_bytes: 16384\n";
    options.limits = fuzz_limits();
    auto store = plugin->open(options, std::move(hooks));
    require(store.ok(), "the memory store opens");
    return std::move(store.value());
}

}  // namespace eventstore::fuzz
