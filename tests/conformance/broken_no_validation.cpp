// broken-no-validation: the memory store without the C++ helper's request checks. Its append
// entry hands the host's request to the store as it is: no validation.hpp rules, no struct_size
// rules (plugin.h GROWTH). Everything else is the helper's.
// Breaks docs/contract.md "Append", bad input and limits, and plugin.h GROWTH.
#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

es_status append_unchecked(es_store* store, const es_append_request* request,
                           es_append_result* result, es_error* err) {
    return plugin::detail::guarded(err, [&]() -> Status {
        return plugin::detail::unbox(store)->store->append(*request, *result);
    });
}

Result<std::shared_ptr<plugin::Store>> open_plain(const plugin::OpenContext& context) {
    return open_memory(context, context.host);
}

}  // namespace
}  // namespace eventstore::broken

extern "C" ES_PLUGIN_EXPORT es_status eventstore_plugin_entry(const es_host_offer* offer,
                                                              const es_plugin_api** api,
                                                              es_error* err) {
    (void)offer;
    (void)err;
    static const es_plugin_api table = [] {
        es_plugin_api unchecked = eventstore::plugin::detail::make_table<
            eventstore::broken::open_plain>(ES_PLUGIN_ABI_MINOR, "broken-no-validation", "0.0.0",
                                            ES_CAP_COMMIT_NOTIFICATIONS);
        unchecked.append = &eventstore::broken::append_unchecked;
        return unchecked;
    }();
    *api = &table;
    return ES_OK;
}
