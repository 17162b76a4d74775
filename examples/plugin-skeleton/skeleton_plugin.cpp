// skeleton_plugin.cpp: the smallest complete eventstored backend, an in-memory store written with
// the kit's C++ helper (eventstore/plugin.hpp). Copy it to start a backend of your own.
//
// The helper has already checked every request against the contract's input rules (stream id,
// event ids, limits) and clamped max_count; it catches exceptions and keeps this store alive while
// its iterators are. What is left here is the contract itself: atomic appends with the expected
// version check, idempotent retries by event id, stream owners (plugin.h "Stream owners": a stream
// belongs to the tenant of its first event), reads of a stream and of the global log.
//
// Threads: the host calls a Store from many threads at once; one mutex guards all of it.
#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eventstore/append_rules.hpp"
#include "eventstore/plugin.hpp"

namespace {

using eventstore::Code;
using eventstore::Result;
using eventstore::Status;
using eventstore::abi::bytes;
using eventstore::abi::view;
namespace plugin = eventstore::plugin;

// One stored event, owning its bytes. Never changed once stored.
struct Event {
    std::string stream_id, event_id, type_name, content_type, tenant_id, correlation_id,
        causation_id, payload;
    std::vector<std::pair<std::string, std::string>> headers;
    uint64_t version = 0;
    uint64_t position = 0;
    int64_t recorded_at_us = 0;
};
using EventPtr = std::shared_ptr<const Event>;

int64_t now_us() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// Hands out a page of events. The es_recorded_event points into the Event (kept alive by the
// page) and into headers_, both valid until the next call, as plugin.h asks.
class PageIterator final : public plugin::Iterator {
public:
    PageIterator(std::vector<EventPtr> events, es_page_info page)
        : events_(std::move(events)), page_(page) {}

    Status next(es_recorded_event& out, bool& has_event) override {
        has_event = next_ < events_.size();
        if (!has_event) return {};
        const Event& e = *events_[next_++];
        headers_.clear();
        for (const auto& [key, value] : e.headers) headers_.push_back({bytes(key), bytes(value)});
        out.stream_id = bytes(e.stream_id);
        out.stream_version = e.version;
        out.global_position = e.position;
        out.recorded_at_us = e.recorded_at_us;
        out.event_id = bytes(e.event_id);
        out.type_name = bytes(e.type_name);
        out.content_type = bytes(e.content_type);
        out.tenant_id = bytes(e.tenant_id);
        out.correlation_id = bytes(e.correlation_id);
        out.causation_id = bytes(e.causation_id);
        out.headers = headers_.data();
        out.header_count = headers_.size();
        out.payload = bytes(e.payload);
        return {};
    }
    es_page_info page() const override { return page_; }

private:
    std::vector<EventPtr> events_;
    es_page_info page_;
    size_t next_ = 0;
    std::vector<es_key_value> headers_;
};

class SkeletonStore final : public plugin::Store {
public:
    explicit SkeletonStore(plugin::Host host) : host_(std::move(host)) {}

    Status append(const es_append_request& request, es_append_result& result) override {
        const std::string stream_id(view(request.stream_id));
        uint64_t head = 0;
        {
            std::lock_guard lock(mutex_);
            const auto found = streams_.find(stream_id);
            // Another owner's stream: refused before anything that would tell more about it.
            if (found != streams_.end() && owned_by_another(request, found->second)) {
                return plugin::not_the_owner(stream_id);
            }
            // An idempotent retry returns what the first call returned and writes nothing.
            const Result<bool> retry = find_retry(request, result);
            if (!retry.ok()) return retry.status();
            if (retry.value()) return {};
            const uint64_t current = found == streams_.end() ? 0 : found->second.size();
            if (!plugin::expected_matches(request, current)) {
                return plugin::wrong_expected_version(request, current, result);
            }
            // All or nothing, short of running out of memory midway (a real backend's storage
            // transaction covers that too).
            std::vector<EventPtr>& stream = streams_[stream_id];
            const int64_t recorded_at = std::max(now_us(), last_recorded_at_us_);
            for (size_t i = 0; i < request.event_count; ++i) {
                auto event = copy_event(*request.events[i], stream_id);
                event->version = current + i + 1;
                event->position = log_.size() + 1;
                event->recorded_at_us = recorded_at;
                ids_[event->event_id] = event;
                stream.push_back(event);
                log_.push_back(std::move(event));
            }
            last_recorded_at_us_ = recorded_at;
            head = log_.size();
            result.current_version = stream.size();
            result.first_global_position = head - request.event_count + 1;
            result.last_global_position = head;
        }
        host_.notify_committed(head);  // after the lock: the host may read right away
        return {};
    }

    Result<std::unique_ptr<plugin::Iterator>> read_stream(
        const es_read_stream_request& r) override {
        const std::string stream_id(view(r.stream_id));
        std::lock_guard lock(mutex_);
        const auto found = streams_.find(stream_id);
        // Another owner's stream reads exactly as a missing one.
        if (found == streams_.end() || owned_by_another(r, found->second)) {
            return plugin::stream_not_found(stream_id);
        }
        const std::vector<EventPtr>& stream = found->second;
        const uint64_t current = stream.size();
        es_page_info page = eventstore::abi::make_struct<es_page_info>();
        std::vector<EventPtr> picked;
        if (r.forward) {
            const uint64_t first = std::max<uint64_t>(r.from_version, 1);  // versions are 1-based
            for (uint64_t v = first; v <= current && picked.size() < r.max_count; ++v) {
                picked.push_back(stream[v - 1]);
            }
            page.next_from_version = first + picked.size();
            page.end_of_stream = first + picked.size() > current;
        } else {
            const uint64_t last = r.from_version == 0 ? current : std::min(r.from_version, current);
            for (uint64_t v = last; v >= 1 && picked.size() < r.max_count; --v) {
                picked.push_back(stream[v - 1]);
            }
            page.next_from_version = last - picked.size();  // 0 once version 1 was returned
            page.end_of_stream = page.next_from_version == 0;
        }
        return std::unique_ptr<plugin::Iterator>(new PageIterator(std::move(picked), page));
    }

    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request& r) override {
        std::lock_guard lock(mutex_);
        const std::string_view prefix = view(r.stream_prefix);
        const uint64_t max_scan = r.max_scan != 0 ? r.max_scan : 10000;
        const uint64_t head = log_.size();
        std::vector<EventPtr> picked;
        uint64_t position = r.after_position;
        // Positions are dense here: position p is log_[p - 1].
        while (position < head && position - r.after_position < max_scan &&
               picked.size() < r.max_count) {
            const EventPtr& event = log_[position++];
            if (event->stream_id.compare(0, prefix.size(), prefix) == 0) picked.push_back(event);
        }
        es_page_info page = eventstore::abi::make_struct<es_page_info>();
        page.last_scanned_position = std::max(position, r.after_position);
        page.reached_head = position >= head;
        return std::unique_ptr<plugin::Iterator>(new PageIterator(std::move(picked), page));
    }

private:
    // Whether a stream (never empty: it is made by an append of at least one event) belongs to
    // another owner than the request's owner_tenant (empty: an operator, who sees everything).
    template <class Request>
    static bool owned_by_another(const Request& request, const std::vector<EventPtr>& stream) {
        return plugin::owned_by_another(request, stream.front()->tenant_id);
    }

    static std::shared_ptr<Event> copy_event(const es_event_data& d, const std::string& stream_id) {
        auto e = std::make_shared<Event>();
        e->stream_id = stream_id;
        e->event_id = view(d.event_id);
        e->type_name = view(d.type_name);
        e->content_type = view(d.content_type);
        e->tenant_id = view(d.tenant_id);
        e->correlation_id = view(d.correlation_id);
        e->causation_id = view(d.causation_id);
        e->payload = view(d.payload);
        for (size_t h = 0; h < d.header_count; ++h) {
            e->headers.emplace_back(view(d.headers[h].key), view(d.headers[h].value));
        }
        return e;
    }

    // The stored events that carry the request's ids, judged by the kit's retry rule
    // (eventstore/append_rules.hpp): a new append, a retry (result filled), or ALREADY_EXISTS.
    Result<bool> find_retry(const es_append_request& request, es_append_result& result) const {
        std::vector<plugin::StoredId> stored;
        for (size_t i = 0; i < request.event_count; ++i) {
            const auto found = ids_.find(std::string(view(request.events[i]->event_id)));
            if (found == ids_.end()) continue;
            const Event& event = *found->second;
            stored.push_back({event.event_id, event.stream_id, event.version, event.position});
        }
        return plugin::judge_retry(request, stored, result);
    }

    const plugin::Host host_;
    std::mutex mutex_;
    std::vector<EventPtr> log_;                                       // position p at p - 1
    std::unordered_map<std::string, std::vector<EventPtr>> streams_;  // version v at v - 1
    std::unordered_map<std::string, EventPtr> ids_;                   // every event id
    int64_t last_recorded_at_us_ = 0;  // recorded_at never goes back along positions
};

// Called once per store. Options come flattened from the YAML `backend.options`; this plugin
// takes none, and refuses any, naming it.
Result<std::shared_ptr<plugin::Store>> open_skeleton(const plugin::OpenContext& context) {
    if (!context.options.empty()) {
        return Status(Code::invalid_argument,
                      "unknown option '" + context.options.front().first +
                          "' for the skeleton backend (it takes none)");
    }
    return std::shared_ptr<plugin::Store>(std::make_shared<SkeletonStore>(context.host));
}

}  // namespace

// The one exported symbol: name, version, capabilities, and the function that opens a store.
EVENTSTORE_PLUGIN("skeleton", "0.1.0", ES_CAP_COMMIT_NOTIFICATIONS, open_skeleton)
