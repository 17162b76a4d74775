// broken-visibility: publishes commits out of order. An append whose last position is odd takes a
// millisecond longer to become visible to read_all than the appends after it, and read_all scans
// past what is not visible yet (its last_scanned_position is the memory store's). A reader tailing
// read_all passes over such a position for good: the bug of a database sequence whose numbers
// commit out of order. Each append returns only once its events are visible, so a single writer
// sees nothing wrong.
// Breaks docs/contract.md "Subscribe", visibility rule, and plugin.h read_all.
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

class PublishesOutOfOrder final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Status append(const es_append_request& request, es_append_result& result) override {
        Status status = inner().append(request, result);
        if (!status.ok()) return status;
        // The simulated slow commit: a sleep is what this fixture is about.
        if (result.last_global_position % 2 == 1) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        std::lock_guard lock(mutex_);
        for (uint64_t p = result.first_global_position; p <= result.last_global_position; ++p) {
            published_.insert(p);
        }
        while (!published_.empty() && *published_.begin() == all_below_ + 1) {
            published_.erase(published_.begin());
            ++all_below_;
        }
        return status;
    }
    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request& request) override {
        return edit_events(inner().read_all(request), [this](es_recorded_event& event) {
            std::lock_guard lock(mutex_);
            return event.global_position <= all_below_ || published_.count(event.global_position);
        });
    }

private:
    std::mutex mutex_;
    uint64_t all_below_ = 0;        // every position <= this is published
    std::set<uint64_t> published_;  // published positions above all_below_
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-visibility", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_decorated<eventstore::broken::PublishesOutOfOrder>)
