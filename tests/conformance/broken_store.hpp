// broken_store.hpp: what the broken fixture plugins share. Each fixture is the memory backend
// (eventstore_memory_store, not a copy of it) behind a decorator that breaks exactly one rule of
// the contract; ctest then asserts that eventstore-conformance reports exactly the checks of that
// rule (CMakeLists.txt beside this file lists them). C++17, like any plugin.
#ifndef EVENTSTORE_TESTS_CONFORMANCE_BROKEN_STORE_HPP
#define EVENTSTORE_TESTS_CONFORMANCE_BROKEN_STORE_HPP

#include <functional>
#include <memory>

#include "eventstore/append_builder.hpp"  // the fixtures edit requests with abi::AppendBuilder
#include "eventstore/plugin.hpp"
#include "memory_store.hpp"

namespace eventstore::broken {

// Forwards everything to the memory store; a fixture overrides what it breaks.
class DecoratedStore : public plugin::Store {
public:
    explicit DecoratedStore(std::shared_ptr<plugin::Store> inner) : inner_(std::move(inner)) {}

    Status append(const es_append_request& request, es_append_result& result) override {
        return inner_->append(request, result);
    }
    Result<std::unique_ptr<plugin::Iterator>> read_stream(
        const es_read_stream_request& request) override {
        return inner_->read_stream(request);
    }
    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request& request) override {
        return inner_->read_all(request);
    }
    // The lifecycle reaches the memory store only in fixtures that name ES_CAP_STREAM_LIFECYCLE.
    Status change_stream(const es_stream_change_request& request, es_stream_state& state) override {
        return inner_->change_stream(request, state);
    }
    Status stream_state(const es_stream_state_request& request, es_stream_state& state) override {
        return inner_->stream_state(request, state);
    }

protected:
    plugin::Store& inner() { return *inner_; }

private:
    std::shared_ptr<plugin::Store> inner_;
};

// A memory store with the context's options, reporting to `host`.
Result<std::shared_ptr<plugin::Store>> open_memory(const plugin::OpenContext& context,
                                                   const plugin::Host& host);

// The table of the helper's memory plugin (this header's minor) with `append` in place of the
// helper's own append entry: for the fixtures that break the helper's request checks. Use it with
// EVENTSTORE_BROKEN_APPEND_PLUGIN.
using AppendFunction = es_status (*)(es_store*, const es_append_request*, es_append_result*,
                                     es_error*);
es_plugin_api memory_table_with_append(const char* name, AppendFunction append);

// The open function of a fixture whose store is `Broken` around a memory store.
template <class Broken>
Result<std::shared_ptr<plugin::Store>> open_decorated(const plugin::OpenContext& context) {
    auto memory = open_memory(context, context.host);
    if (!memory.ok()) return memory.status();
    return std::shared_ptr<plugin::Store>(std::make_shared<Broken>(std::move(memory.value())));
}

// Passes each event of a read through `edit`, which may change it, or drop it by returning false;
// and its paging summary through `edit_page`, when given.
using EventEdit = std::function<bool(es_recorded_event&)>;
using PageEdit = std::function<void(es_page_info&)>;
Result<std::unique_ptr<plugin::Iterator>> edit_events(
    Result<std::unique_ptr<plugin::Iterator>> opened, EventEdit edit, PageEdit edit_page = {});

}  // namespace eventstore::broken

// Defines the entry of a fixture made by memory_table_with_append.
#define EVENTSTORE_BROKEN_APPEND_PLUGIN(NAME, APPEND)                                             \
    extern "C" ES_PLUGIN_EXPORT es_status eventstore_plugin_entry(                                \
        const es_host_offer* offer, const es_plugin_api** api, es_error* err) {                   \
        (void)offer;                                                                              \
        (void)err;                                                                                \
        static const es_plugin_api table =                                                        \
            ::eventstore::broken::memory_table_with_append(NAME, APPEND);                         \
        *api = &table;                                                                            \
        return ES_OK;                                                                             \
    }

#endif
