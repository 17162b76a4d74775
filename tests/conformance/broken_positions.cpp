// broken-positions: reuses global positions. Every even position is reported, by append and by
// both reads, as the odd position before it, so two events (often of two appends) share one.
// Breaks docs/contract.md "Terms": positions are strictly increasing across the store.
#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

uint64_t reused(uint64_t position) { return position % 2 == 0 ? position - 1 : position; }

bool reuse_position(es_recorded_event& event) {
    event.global_position = reused(event.global_position);
    return true;
}

class ReusesPositions final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Status append(const es_append_request& request, es_append_result& result) override {
        Status status = inner().append(request, result);
        if (status.ok()) {
            result.first_global_position = reused(result.first_global_position);
            result.last_global_position = reused(result.last_global_position);
        }
        return status;
    }
    Result<std::unique_ptr<plugin::Iterator>> read_stream(
        const es_read_stream_request& request) override {
        return edit_events(inner().read_stream(request), reuse_position);
    }
    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request& request) override {
        return edit_events(inner().read_all(request), reuse_position);
    }
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-positions", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_decorated<eventstore::broken::ReusesPositions>)
