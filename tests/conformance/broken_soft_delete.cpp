// broken-soft-delete: "deletes" by hiding rows. DELETE, TOMBSTONE and TRUNCATE reach the memory
// store (so versions, expected versions, tombstones and read_stream behave), but the fixture first
// keeps a copy of every event the change removes and read_all keeps returning those copies at
// their positions: the bug of a backend that flags rows deleted and filters read_stream only.
// Breaks plugin.h "Stream lifecycle" (READABLE: read_all returns readable events only).
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

// One event copied out of a read, owning its bytes.
class OwnedEvent {
public:
    explicit OwnedEvent(const es_recorded_event& event) : record_(event) {
        for (es_bytes* field : {&record_.stream_id, &record_.event_id, &record_.type_name,
                                &record_.content_type, &record_.tenant_id, &record_.correlation_id,
                                &record_.causation_id, &record_.payload}) {
            *field = keep(*field);
        }
        for (size_t h = 0; h < event.header_count; ++h) {
            headers_.push_back({keep(event.headers[h].key), keep(event.headers[h].value)});
        }
        record_.headers = headers_.data();
    }
    OwnedEvent(const OwnedEvent&) = delete;
    OwnedEvent& operator=(const OwnedEvent&) = delete;

    const es_recorded_event& record() const { return record_; }

private:
    es_bytes keep(es_bytes bytes) {
        bytes_.push_back(std::make_unique<std::string>(abi::view(bytes)));
        return abi::bytes(*bytes_.back());
    }

    std::vector<std::unique_ptr<std::string>> bytes_;
    std::vector<es_key_value> headers_;
    es_recorded_event record_;
};

using Shared = std::shared_ptr<const OwnedEvent>;

class OwnedIterator final : public plugin::Iterator {
public:
    OwnedIterator(std::vector<Shared> events, es_page_info page)
        : events_(std::move(events)), page_(page) {}

    Status next(es_recorded_event& event, bool& has_event) override {
        has_event = next_ < events_.size();
        if (has_event) event = events_[next_++]->record();
        return {};
    }
    es_page_info page() const override { return page_; }

private:
    std::vector<Shared> events_;
    es_page_info page_;
    size_t next_ = 0;
};

Result<std::vector<Shared>> drain(plugin::Iterator& iterator) {
    std::vector<Shared> events;
    for (;;) {
        es_recorded_event event = abi::make_struct<es_recorded_event>();
        bool has_event = false;
        if (Status s = iterator.next(event, has_event); !s.ok()) return s;
        if (!has_event) return events;
        events.push_back(std::make_shared<const OwnedEvent>(event));
    }
}

class HidesInsteadOfDeleting final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Status change_stream(const es_stream_change_request& request, es_stream_state& state) override {
        std::vector<Shared> before;
        if (request.kind != ES_CHANGE_SET_RETENTION) {
            es_read_stream_request read = abi::make_struct<es_read_stream_request>();
            read.stream_id = request.stream_id;
            read.forward = true;
            read.max_count = UINT32_MAX;
            if (auto opened = inner().read_stream(read); opened.ok()) {
                auto events = drain(*opened.value());
                if (events.ok()) before = std::move(events.value());
            }
        }
        Status status = inner().change_stream(request, state);
        if (!status.ok()) return status;
        std::lock_guard lock(mutex_);
        for (const Shared& event : before) {
            if (event->record().stream_version < state.truncate_before) {
                hidden_.emplace(event->record().global_position, event);
            }
        }
        return status;
    }

    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request& request) override {
        auto opened = inner().read_all(request);
        if (!opened.ok()) return opened.status();
        auto events = drain(*opened.value());
        if (!events.ok()) return events.status();
        const es_page_info page = opened.value()->page();
        const std::string_view prefix = abi::view(request.stream_prefix);
        std::map<uint64_t, Shared> merged;
        for (const Shared& event : events.value()) merged.emplace(event->record().global_position, event);
        {
            std::lock_guard lock(mutex_);
            for (auto it = hidden_.upper_bound(request.after_position);
                 it != hidden_.end() && it->first <= page.last_scanned_position; ++it) {
                if (abi::view(it->second->record().stream_id).substr(0, prefix.size()) == prefix) {
                    merged.emplace(it->first, it->second);
                }
            }
        }
        std::vector<Shared> out;
        for (auto& [position, event] : merged) out.push_back(event);
        return std::unique_ptr<plugin::Iterator>(std::make_unique<OwnedIterator>(std::move(out), page));
    }

private:
    std::mutex mutex_;
    std::map<uint64_t, Shared> hidden_;  // position -> a "deleted" event read_all still returns
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-soft-delete", "0.0.0",
                  ES_CAP_COMMIT_NOTIFICATIONS | ES_CAP_STREAM_LIFECYCLE,
                  eventstore::broken::open_decorated<eventstore::broken::HidesInsteadOfDeleting>)
