// broken-truncate-payload: stores each payload only up to its first zero byte (a C-string bug).
// Breaks docs/contract.md "What is preserved": payload bytes, zero bytes inside.
#include <cstring>

#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

class TruncatesAtZeroByte final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Status append(const es_append_request& request, es_append_result& result) override {
        abi::AppendBuilder edited(request);
        for (size_t i = 0; i < request.event_count; ++i) {
            es_bytes& payload = edited.event(i).payload;
            const void* zero = payload.len == 0 ? nullptr : std::memchr(payload.ptr, 0, payload.len);
            if (zero != nullptr) payload.len = static_cast<const uint8_t*>(zero) - payload.ptr;
        }
        return inner().append(edited.request(), result);
    }
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-truncate-payload", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_decorated<eventstore::broken::TruncatesAtZeroByte>)
