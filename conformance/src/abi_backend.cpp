#include "abi_backend.hpp"

#include <algorithm>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <optional>

#include "eventstore/abi_struct.hpp"
#include "eventstore/validation.hpp"

namespace eventstore::conformance {

using abi::bytes;
using abi::view;

namespace {

uint32_t expected_kind(ExpectedKind kind) {
    switch (kind) {
    case ExpectedKind::no_stream: return ES_EXPECT_NO_STREAM;
    case ExpectedKind::stream_exists: return ES_EXPECT_STREAM_EXISTS;
    case ExpectedKind::exact: return ES_EXPECT_EXACT;
    case ExpectedKind::any: break;
    }
    return ES_EXPECT_ANY;
}

std::string text(es_bytes value) { return std::string(view(value)); }

// An append through the store's asynchronous path (the plugin's append_async, or the loader's
// threads for a plugin without one), waited for until the plugin let go of the request.
Status append_through_async(loader::Store& store, const es_append_request& request,
                            es_append_result& result) {
    class Waiting final : public loader::AsyncAppend {
    public:
        Waiting(const es_append_request& request, es_append_result& result)
            : request_(request), result_(result) {}
        const es_append_request& abi_request() const override { return request_; }
        void complete(const Status& status, const es_append_result& result) override {
            std::lock_guard lock(mutex_);
            status_ = status;
            result_ = result;
        }
        void release() override {
            std::lock_guard lock(mutex_);
            released_ = true;
            changed_.notify_one();
        }
        Status wait() {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return released_; });
            return status_;
        }

    private:
        const es_append_request& request_;
        es_append_result& result_;
        std::mutex mutex_;
        std::condition_variable changed_;
        Status status_;
        bool released_ = false;
    };
    Waiting waiting(request, result);
    store.append_async(waiting);
    return waiting.wait();
}

// The bytes of `value` as the suite sends them: empty text as {NULL, 0}, which plugin.h allows for
// every es_bytes ("ptr may be NULL when len is 0"), so that every check also tests a plugin with
// the NULL pointers a C host sends (memcpy from NULL, a NULL bound as SQL NULL instead of an
// empty value).
es_bytes sent(const std::string& value) {
    return value.empty() ? es_bytes{nullptr, 0} : bytes(value);
}

// Drains an opened read into page.events and returns its paging summary; on any failure sets
// page.status instead and returns nothing.
template <class Page>
std::optional<es_page_info> drain_into(Result<std::unique_ptr<loader::Iterator>> opened,
                                       Page& page) {
    if (!opened.ok()) {
        page.status = opened.status();
        return std::nullopt;
    }
    auto events = drain(*opened.value());
    if (!events.ok()) {
        page.status = events.status();
        return std::nullopt;
    }
    auto info = opened.value()->page();
    if (!info.ok()) {
        page.status = info.status();
        return std::nullopt;
    }
    page.events = std::move(events.value());
    return info.value();
}

}  // namespace

abi::AppendBuilder abi_append(const std::string& stream_id, Expected expected,
                              const std::vector<EventData>& events) {
    abi::AppendBuilder append;
    es_append_request& request = append.request();
    request.expected_kind = expected_kind(expected.kind);
    request.expected_version = expected.version;
    request.stream_id = stream_id.empty() ? sent(stream_id) : append.keep(stream_id);
    append.reserve(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
        const EventData& data = events[i];
        es_event_data& event = append.add_event();
        event.event_id = sent(data.event_id);
        event.type_name = sent(data.type_name);
        event.content_type = sent(data.content_type);
        event.tenant_id = sent(data.tenant_id);
        event.correlation_id = sent(data.correlation_id);
        event.causation_id = sent(data.causation_id);
        event.payload = sent(data.payload);
        std::vector<es_key_value> headers;
        for (const auto& [key, value] : data.headers) headers.push_back({sent(key), sent(value)});
        append.set_headers(i, std::move(headers));
    }
    return append;
}

void RecordingHooks::log(es_log_level level, std::string_view message) {
    if (level >= ES_LOG_WARN) std::cerr << "[plugin] " << message << "\n";
}

void RecordingHooks::committed(uint64_t position) {
    {
        std::lock_guard lock(mutex_);
        highest_ = std::max(highest_, position);
        ++count_;
        pending_.push_back(position);
    }
    changed_.notify_all();
}

bool RecordingHooks::wait_for(uint64_t position, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return highest_ >= position; });
}

std::vector<uint64_t> RecordingHooks::take_announcements() {
    std::lock_guard lock(mutex_);
    return std::exchange(pending_, {});
}

size_t RecordingHooks::count() const {
    std::lock_guard lock(mutex_);
    return count_;
}

es_stream_change_request abi_change(const std::string& stream_id, const StreamChange& change) {
    es_stream_change_request request = abi::make_struct<es_stream_change_request>();
    switch (change.kind) {
    case ChangeKind::remove: request.kind = ES_CHANGE_DELETE; break;
    case ChangeKind::tombstone: request.kind = ES_CHANGE_TOMBSTONE; break;
    case ChangeKind::truncate: request.kind = ES_CHANGE_TRUNCATE; break;
    case ChangeKind::set_retention: request.kind = ES_CHANGE_SET_RETENTION; break;
    }
    request.stream_id = sent(stream_id);
    request.expected_kind = expected_kind(change.expected.kind);
    request.expected_version = change.expected.version;
    request.before_version = change.before_version;
    request.max_count = change.max_count;
    request.max_age_us = change.max_age_us;
    return request;
}

StreamState state_of(const es_stream_state& state) {
    return {state.last_version, state.truncate_before, state.tombstoned, state.max_count,
            state.max_age_us};
}

RecordedEvent copy_event(const es_recorded_event& event) {
    RecordedEvent out;
    out.stream_id = text(event.stream_id);
    out.stream_version = event.stream_version;
    out.global_position = event.global_position;
    out.recorded_at_us = event.recorded_at_us;
    out.data.event_id = text(event.event_id);
    out.data.type_name = text(event.type_name);
    out.data.content_type = text(event.content_type);
    out.data.tenant_id = text(event.tenant_id);
    out.data.correlation_id = text(event.correlation_id);
    out.data.causation_id = text(event.causation_id);
    for (size_t h = 0; h < event.header_count; ++h) {
        out.data.headers.emplace_back(text(event.headers[h].key), text(event.headers[h].value));
    }
    out.data.payload = text(event.payload);
    return out;
}

Result<std::vector<RecordedEvent>> drain(loader::Iterator& iterator) {
    std::vector<RecordedEvent> events;
    es_recorded_event event{};
    for (;;) {
        Result<bool> has = iterator.next(event);
        if (!has.ok()) return has.status();
        if (!has.value()) return events;
        events.push_back(copy_event(event));
    }
}

AbiBackend::AbiBackend(std::shared_ptr<loader::Plugin> plugin,
                       std::shared_ptr<RecordingHooks> hooks, std::unique_ptr<loader::Store> store,
                       const es_limits& limits)
    : plugin_(std::move(plugin)),
      hooks_(std::move(hooks)),
      store_(std::move(store)),
      limits_(validation::effective_limits(&limits)) {}

Result<std::unique_ptr<AbiBackend>> AbiBackend::open(const std::shared_ptr<loader::Plugin>& plugin,
                                                     const loader::OpenOptions& options) {
    auto hooks = std::make_shared<RecordingHooks>();
    auto store = plugin->open(options, hooks);
    if (!store.ok()) return store.status();
    es_limits limits = options.limits;
    limits.struct_size = sizeof(es_limits);
    return std::unique_ptr<AbiBackend>(
        new AbiBackend(plugin, std::move(hooks), std::move(store.value()), limits));
}

Status AbiBackend::append_raw(const es_append_request& request, es_append_result& result) {
    return store_->append(request, result);
}

AppendOutcome AbiBackend::append(const std::string& stream_id, Expected expected,
                                 const std::vector<EventData>& events) {
    const abi::AppendBuilder append = abi_append(stream_id, expected, events);
    es_append_result result{};
    AppendOutcome outcome;
    outcome.status = append_through_async(*store_, append.request(), result);
    if (outcome.status.ok()) {
        outcome.current_version = result.current_version;
        outcome.first_position = result.first_global_position;
        outcome.last_position = result.last_global_position;
    } else if (outcome.status.code() == Code::failed_precondition) {
        outcome.actual_version = result.actual_version;
        outcome.tombstoned = result.tombstoned;
    }
    return outcome;
}

StreamPage AbiBackend::read_stream(const std::string& stream_id, uint64_t from_version,
                                   uint32_t max_count, bool forward) {
    es_read_stream_request request = abi::make_struct<es_read_stream_request>();
    request.forward = forward;
    request.stream_id = sent(stream_id);
    request.from_version = from_version;
    // plugin.h: "the host has already clamped it"; the suite is the host here.
    request.max_count = validation::effective_page_size(max_count, limits_);
    StreamPage page;
    if (const auto info = drain_into(store_->read_stream(request), page)) {
        page.next_from_version = info->next_from_version;
        page.end_of_stream = info->end_of_stream;
    }
    return page;
}

AllPage AbiBackend::read_all(uint64_t after_position, uint32_t max_count,
                             const std::string& stream_prefix) {
    es_read_all_request request = abi::make_struct<es_read_all_request>();
    request.after_position = after_position;
    request.max_count = validation::effective_page_size(max_count, limits_);
    request.stream_prefix = sent(stream_prefix);
    AllPage page;
    if (const auto info = drain_into(store_->read_all(request), page)) {
        page.last_scanned_position = info->last_scanned_position;
        page.reached_head = info->reached_head;
    }
    return page;
}

StateOutcome AbiBackend::change_stream(const std::string& stream_id, const StreamChange& change) {
    es_stream_state state = abi::make_struct<es_stream_state>();
    StateOutcome outcome;
    outcome.status = store_->change_stream(abi_change(stream_id, change), state);
    outcome.state = state_of(state);
    if (outcome.status.code() == Code::failed_precondition) {
        outcome.actual_version = state.last_version;
        outcome.tombstoned = state.tombstoned;
    }
    return outcome;
}

StateOutcome AbiBackend::stream_state(const std::string& stream_id) {
    es_stream_state_request request = abi::make_struct<es_stream_state_request>();
    request.stream_id = sent(stream_id);
    es_stream_state state = abi::make_struct<es_stream_state>();
    StateOutcome outcome;
    outcome.status = store_->stream_state(request, state);
    outcome.state = state_of(state);
    return outcome;
}

}  // namespace eventstore::conformance
