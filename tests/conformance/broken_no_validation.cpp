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

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_BROKEN_APPEND_PLUGIN("broken-no-validation", &eventstore::broken::append_unchecked)
