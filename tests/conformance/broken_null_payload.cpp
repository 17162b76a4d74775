// broken-null-payload: an event whose payload is sent as {NULL, 0} is refused as if it had no
// payload at all, the mistake of a C plugin that tests `ptr == NULL` where plugin.h says "ptr may
// be NULL when len is 0" (or that binds the NULL pointer as SQL NULL into a NOT NULL column).
// Breaks plugin.h es_bytes, and with it docs/contract.md's empty payload: caught by every check
// that appends an event with an empty payload, since the suite sends every empty field as NULL.
#include <string>

#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

class RefusesNullPayload final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Status append(const es_append_request& request, es_append_result& result) override {
        for (size_t i = 0; i < request.event_count; ++i) {
            if (request.events[i]->payload.ptr == nullptr) {
                return Status(Code::invalid_argument,
                              "events[" + std::to_string(i) + "].payload is NULL");
            }
        }
        return DecoratedStore::append(request, result);
    }
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-null-payload", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_decorated<eventstore::broken::RefusesNullPayload>)
