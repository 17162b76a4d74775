// broken-expected-version: ignores expected_version; every append behaves as `any`.
// Breaks docs/contract.md "Append": a mismatch must be FAILED_PRECONDITION and write nothing.
#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

class IgnoresExpectedVersion final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Status append(const es_append_request& request, es_append_result& result) override {
        es_append_request any = request;
        any.expected_kind = ES_EXPECT_ANY;
        return inner().append(any, result);
    }
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-expected-version", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_decorated<eventstore::broken::IgnoresExpectedVersion>)
