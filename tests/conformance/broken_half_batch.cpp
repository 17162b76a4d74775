// broken-half-batch: when a batch fails because a later event_id is already stored, it still
// writes the longest first part of the batch that the store accepts, then reports the failure.
// Breaks docs/contract.md "Append": atomic, all events or none.
#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

class WritesHalfABatch final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Status append(const es_append_request& request, es_append_result& result) override {
        const Status status = inner().append(request, result);
        if (status.code() != Code::already_exists) return status;
        for (size_t count = request.event_count - 1; count > 0; --count) {
            es_append_request first_part = request;
            first_part.event_count = count;
            es_append_result ignored = abi::make_struct<es_append_result>();
            if (inner().append(first_part, ignored).ok()) break;
        }
        return status;
    }
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-half-batch", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_decorated<eventstore::broken::WritesHalfABatch>)
