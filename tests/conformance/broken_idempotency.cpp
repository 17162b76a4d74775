// broken-idempotency: a retry appends again. When the memory store answers an identical retry
// (its result names positions already reported once), the batch is appended a second time, with
// new event ids, and that second result is returned.
// Breaks docs/contract.md "Append", idempotent retry: the original result, nothing written twice.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>

#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

class AppendsRetriesAgain final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Status append(const es_append_request& request, es_append_result& result) override {
        Status status = inner().append(request, result);
        if (!status.ok() || first_report(result)) return status;
        abi::AppendBuilder again(request);
        std::vector<std::string> ids(request.event_count);
        for (size_t i = 0; i < ids.size(); ++i) {
            ids[i] = new_id(abi::view(request.events[i]->event_id));
            again.event(i).event_id = abi::bytes(ids[i]);
        }
        again.request().expected_kind = ES_EXPECT_ANY;
        status = inner().append(again.request(), result);
        if (status.ok()) first_report(result);
        return status;
    }

private:
    // True the first time a result's last position is seen.
    bool first_report(const es_append_result& result) {
        std::lock_guard lock(mutex_);
        return reported_.insert(result.last_global_position).second;
    }
    // `id` with its first 8 hex digits replaced by a counter: still a canonical UUID.
    std::string new_id(std::string_view id) {
        char counter[9];
        std::snprintf(counter, sizeof(counter), "%08x", ++counter_);
        return std::string(counter) + std::string(id.substr(8));
    }

    std::mutex mutex_;
    std::set<uint64_t> reported_;
    std::atomic<unsigned> counter_{0};
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-idempotency", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_decorated<eventstore::broken::AppendsRetriesAgain>)
