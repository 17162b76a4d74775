// broken-paging: a forward read_stream that stops short of the stream's end names its own last
// version as the next page's from_version (an off-by-one), so consecutive pages overlap by one.
// Breaks docs/contract.md "ReadStream": the result gives the version to pass for the next page.
#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

class OverlapsPages final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Result<std::unique_ptr<plugin::Iterator>> read_stream(
        const es_read_stream_request& request) override {
        if (!request.forward) return inner().read_stream(request);
        return edit_events(
            inner().read_stream(request), [](es_recorded_event&) { return true; },
            [](es_page_info& page) {
                if (!page.end_of_stream && page.next_from_version > 1) --page.next_from_version;
            });
    }
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-paging", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_decorated<eventstore::broken::OverlapsPages>)
