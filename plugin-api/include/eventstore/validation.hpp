// eventstore/validation.hpp: the request rules of the contract ("bad input", "limits"), written
// once. The server applies them before a request reaches a backend; the C++ plugin helper applies
// the same ones inside a plugin, for callers that bypass the server. Messages name the field with
// the API's names (stream_id, events[2].metadata.event_id) or the limit. C++17, header-only.
#ifndef EVENTSTORE_VALIDATION_HPP
#define EVENTSTORE_VALIDATION_HPP

#include <string>
#include <string_view>
#include <memory_resource>
#include <unordered_set>

#include "eventstore/abi_struct.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::validation {

inline constexpr uint32_t kDefaultMaxStreamIdBytes = 256;
inline constexpr uint32_t kDefaultMaxAppendEvents = 10000;
inline constexpr uint64_t kDefaultMaxAppendBytes = 4u * 1024 * 1024;
inline constexpr uint32_t kDefaultPageSize = 100;
inline constexpr uint32_t kDefaultMaxPageSize = 1000;

// The limits with every zero field replaced by its default.
inline es_limits effective_limits(const es_limits* given) {
    es_limits limits = abi::make_struct<es_limits>();
    if (given != nullptr) {
        auto read = abi::read_struct(given, "es_limits");
        if (read.ok()) limits = read.value();
    }
    if (limits.max_stream_id_bytes == 0) limits.max_stream_id_bytes = kDefaultMaxStreamIdBytes;
    if (limits.max_append_events == 0) limits.max_append_events = kDefaultMaxAppendEvents;
    if (limits.max_append_bytes == 0) limits.max_append_bytes = kDefaultMaxAppendBytes;
    if (limits.default_page_size == 0) limits.default_page_size = kDefaultPageSize;
    if (limits.max_page_size == 0) limits.max_page_size = kDefaultMaxPageSize;
    return limits;
}

// True for the canonical 8-4-4-4-12 hexadecimal form (either case) and nothing else.
inline bool is_canonical_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool dash_place = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash_place) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

inline Status invalid(std::string message) { return Status(Code::invalid_argument, std::move(message)); }

inline Status validate_stream_id(std::string_view stream_id, const es_limits& limits,
                                 const char* field = "stream_id") {
    if (stream_id.empty()) return invalid(std::string(field) + " must not be empty");
    if (stream_id.size() > limits.max_stream_id_bytes) {
        return invalid(std::string(field) + " is " + std::to_string(stream_id.size()) +
                       " bytes, longer than the limit of " +
                       std::to_string(limits.max_stream_id_bytes) + " (limits.max_stream_id_bytes)");
    }
    if (stream_id.find('\0') != std::string_view::npos) {
        return invalid(std::string(field) + " must not contain a NUL byte");
    }
    return {};
}

// The bytes one event counts against max_append_bytes: payload plus every metadata field.
inline uint64_t event_size(const es_event_data& event) {
    uint64_t size = event.event_id.len + event.type_name.len + event.content_type.len +
                    event.tenant_id.len + event.correlation_id.len + event.causation_id.len +
                    event.payload.len;
    for (size_t h = 0; h < event.header_count; ++h) {
        size += event.headers[h].key.len + event.headers[h].value.len;
    }
    return size;
}

inline Status validate_expected(const es_append_request& request) {
    if (request.expected_kind > ES_EXPECT_EXACT) {
        return invalid("expected_version has an unknown kind " +
                       std::to_string(request.expected_kind));
    }
    return {};
}

// Every rule of an append, in the order a client would want to hear them.
inline Status validate_append(const es_append_request& request, const es_limits& limits) {
    if (Status s = validate_stream_id(abi::view(request.stream_id), limits); !s.ok()) return s;
    if (Status s = validate_expected(request); !s.ok()) return s;
    if (request.event_count == 0 || request.events == nullptr) {
        return invalid("events must hold at least one event");
    }
    if (request.event_count > limits.max_append_events) {
        return Status(Code::resource_exhausted,
                      "append of " + std::to_string(request.event_count) +
                          " events exceeds limits.max_append_events (" +
                          std::to_string(limits.max_append_events) + ")");
    }
    uint64_t total = 0;
    // The set's nodes come from one growing buffer, freed at once: no allocation per event.
    std::pmr::monotonic_buffer_resource nodes(request.event_count * 64);
    std::pmr::unordered_set<std::string_view> ids(&nodes);
    ids.reserve(request.event_count);
    for (size_t i = 0; i < request.event_count; ++i) {
        const auto field_of = [i] { return "events[" + std::to_string(i) + "]"; };
        const es_event_data* event = request.events[i];
        if (event == nullptr) return invalid(field_of() + " is missing");
        const std::string_view id = abi::view(event->event_id);
        if (!is_canonical_uuid(id)) {
            return invalid(field_of() + ".metadata.event_id '" + std::string(id.substr(0, 64)) +
                           "' is not a UUID in the canonical 8-4-4-4-12 form");
        }
        if (!ids.insert(id).second) {
            return invalid(field_of() + ".metadata.event_id " + std::string(id) +
                           " appears twice in this append");
        }
        if (event->type_name.len == 0) return invalid(field_of() + ".metadata.type_name must not be empty");
        total += event_size(*event);
    }
    if (total > limits.max_append_bytes) {
        return Status(Code::resource_exhausted,
                      "append of " + std::to_string(total) +
                          " bytes exceeds limits.max_append_bytes (" +
                          std::to_string(limits.max_append_bytes) + ")");
    }
    return {};
}

// The page size a read uses: 0 means the default page, above the cap is clamped.
inline uint32_t effective_page_size(uint32_t requested, const es_limits& limits) {
    if (requested == 0) return limits.default_page_size;
    return requested > limits.max_page_size ? limits.max_page_size : requested;
}

}  // namespace eventstore::validation

#endif
