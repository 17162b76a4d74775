// broken-backward-end: a backward read_stream that reaches version 1 does not say end_of_stream,
// and names 0 as the next page's from_version; backward from 0 means "from the last", so a caller
// paging on until the end reads the stream again and again, forever.
// Breaks docs/contract.md "ReadStream": the result says whether the start was reached. The suite
// must report the loop that never ends ("did not end after N pages"), not print its pages.
#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

class NeverEndsBackward final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Result<std::unique_ptr<plugin::Iterator>> read_stream(
        const es_read_stream_request& request) override {
        if (request.forward) return inner().read_stream(request);
        return edit_events(
            inner().read_stream(request), [](es_recorded_event&) { return true; },
            [](es_page_info& page) { page.end_of_stream = false; });
    }
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-backward-end", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_decorated<eventstore::broken::NeverEndsBackward>)
