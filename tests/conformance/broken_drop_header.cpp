// broken-drop-header: drops every header whose value is empty (as a backend that stores headers
// in a format eliding empty values would).
// Breaks docs/contract.md "What is preserved": the headers map, empty strings included.
#include <algorithm>
#include <iterator>
#include <vector>

#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

class DropsEmptyHeaders final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Status append(const es_append_request& request, es_append_result& result) override {
        abi::AppendBuilder edited(request);
        for (size_t i = 0; i < request.event_count; ++i) {
            const es_event_data& event = *request.events[i];
            std::vector<es_key_value> kept;
            std::copy_if(event.headers, event.headers + event.header_count, std::back_inserter(kept),
                         [](const es_key_value& h) { return h.value.len != 0; });
            edited.set_headers(i, std::move(kept));
        }
        return inner().append(edited.request(), result);
    }
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-drop-header", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_decorated<eventstore::broken::DropsEmptyHeaders>)
