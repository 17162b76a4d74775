// broken-struct-size: the memory store with every input rule of the C++ helper (validation.hpp)
// but no struct_size rule: its append entry reads the request and its events as this build's
// structs whatever their struct_size says, so a larger struct's set fields beyond are ignored and
// a smaller struct's missing fields are read from whatever lies beyond it.
// Breaks plugin.h GROWTH, and nothing else: every request it refuses, it refuses for the
// contract's reasons, so a growth check that sends a request malformed in another way too would
// pass here.
#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

es_status append_ignoring_size(es_store* store, const es_append_request* request,
                               es_append_result* result, es_error* err) {
    return plugin::detail::guarded(err, [&]() -> Status {
        plugin::detail::StoreBox* box = plugin::detail::unbox(store);
        if (Status s = validation::validate_append(*request, box->limits); !s.ok()) return s;
        es_append_result out = abi::make_struct<es_append_result>();
        Status status = box->store->append(*request, out);
        if (status.ok() || status.code() == Code::failed_precondition) {
            abi::write_struct(result, out);
        }
        return status;
    });
}

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_BROKEN_APPEND_PLUGIN("broken-struct-size", &eventstore::broken::append_ignoring_size)
