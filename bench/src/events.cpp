#include "events.hpp"

#include <time.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <random>

namespace eventstore::bench {
namespace {

uint64_t random_bits() {
    std::random_device device;
    return (uint64_t{device()} << 32) | device();
}

// 8-4-4-4-12 hex digits: 64 random bits per process, then a 64-bit counter.
std::string next_event_id() {
    static const uint64_t prefix = random_bits();
    static std::atomic<uint64_t> counter{0};
    const uint64_t n = counter.fetch_add(1, std::memory_order_relaxed);
    char text[37];
    std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%04x%08x",
                  static_cast<unsigned>(prefix >> 32), static_cast<unsigned>(prefix >> 16) & 0xffff,
                  static_cast<unsigned>(prefix) & 0xffff, static_cast<unsigned>(n >> 48),
                  static_cast<unsigned>(n >> 32) & 0xffff, static_cast<unsigned>(n));
    return text;
}

}  // namespace

const std::string& run_prefix() {
    static const std::string prefix = [] {
        char text[32];
        std::snprintf(text, sizeof text, "bench-%08x", static_cast<unsigned>(random_bits()));
        return std::string(text);
    }();
    return prefix;
}

void fill_append(v1::AppendRequest& request, const std::string& stream, uint32_t count,
                 uint32_t payload_bytes) {
    request.set_stream_id(stream);
    while (request.events_size() > static_cast<int>(count)) request.mutable_events()->RemoveLast();
    while (request.events_size() < static_cast<int>(count)) {
        v1::EventData* event = request.add_events();
        event->mutable_metadata()->set_type_name(kEventType);
        event->mutable_metadata()->set_content_type(kContentType);
        event->set_payload(std::string(payload_bytes, 'x'));
    }
    for (v1::EventData& event : *request.mutable_events()) {
        event.mutable_metadata()->set_event_id(next_event_id());
    }
}

void fill_kurrent_append(std::vector<event_store::client::streams::AppendReq>& messages,
                         const std::string& stream, uint32_t count, uint32_t payload_bytes) {
    messages.resize(count + 1);
    auto& options = *messages[0].mutable_options();
    options.mutable_stream_identifier()->set_stream_name(stream);
    options.mutable_any();
    for (uint32_t i = 1; i <= count; ++i) {
        auto& event = *messages[i].mutable_proposed_message();
        if (event.metadata().empty()) {
            (*event.mutable_metadata())["type"] = kEventType;
            (*event.mutable_metadata())["content-type"] = kContentType;
            event.set_data(std::string(payload_bytes, 'x'));
        }
        event.mutable_id()->set_string(next_event_id());
    }
}

void fill_kurrent_batch_append(event_store::client::streams::BatchAppendReq& request,
                               const std::string& stream, uint32_t count, uint32_t payload_bytes) {
    request.mutable_correlation_id()->set_string(next_event_id());
    auto& options = *request.mutable_options();
    options.mutable_stream_identifier()->set_stream_name(stream);
    options.mutable_any();
    options.mutable_deadline()->set_seconds(10);
    auto& events = *request.mutable_proposed_messages();
    while (events.size() > static_cast<int>(count)) events.RemoveLast();
    while (events.size() < static_cast<int>(count)) {
        auto& event = *events.Add();
        (*event.mutable_metadata())["type"] = kEventType;
        (*event.mutable_metadata())["content-type"] = kContentType;
        event.set_data(std::string(payload_bytes, 'x'));
    }
    for (auto& event : events) event.mutable_id()->set_string(next_event_id());
    request.set_is_final(true);
}

uint64_t raw_event_bytes(const std::string& stream, uint32_t payload_bytes) {
    return payload_bytes + 36 + std::strlen(kEventType) + std::strlen(kContentType) + stream.size();
}

int64_t monotonic_ns() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return int64_t{now.tv_sec} * 1000000000 + now.tv_nsec;
}

void stamp_send_time(v1::AppendRequest& request) {
    const int64_t now = monotonic_ns();
    for (v1::EventData& event : *request.mutable_events()) {
        std::string& payload = *event.mutable_payload();
        if (payload.size() >= sizeof now) std::memcpy(payload.data(), &now, sizeof now);
    }
}

int64_t send_time_of(const std::string& payload) {
    int64_t sent = 0;
    if (payload.size() >= sizeof sent) std::memcpy(&sent, payload.data(), sizeof sent);
    return sent;
}

}  // namespace eventstore::bench
