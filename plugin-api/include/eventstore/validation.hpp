// eventstore/validation.hpp: the request rules of the contract ("bad input", "limits") for C++.
// The server applies them before a request reaches a backend; the C++ plugin helper applies the
// same ones inside a plugin, for callers that bypass the server. The rules and their messages are
// the C helper's (eventstore/plugin_util.h), written once for C and C++: messages name the field
// with the API's names (stream_id, events[2].metadata.event_id) or the limit. C++17, header-only.
#ifndef EVENTSTORE_VALIDATION_HPP
#define EVENTSTORE_VALIDATION_HPP

#include <string_view>

#include "eventstore/abi_struct.hpp"
#include "eventstore/plugin.h"
#include "eventstore/plugin_util.h"
#include "eventstore/status.hpp"

namespace eventstore::validation {

inline constexpr uint32_t kDefaultMaxStreamIdBytes = ES_UTIL_DEFAULT_MAX_STREAM_ID_BYTES;
inline constexpr uint32_t kDefaultMaxAppendEvents = ES_UTIL_DEFAULT_MAX_APPEND_EVENTS;
inline constexpr uint64_t kDefaultMaxAppendBytes = ES_UTIL_DEFAULT_MAX_APPEND_BYTES;
inline constexpr uint32_t kDefaultPageSize = ES_UTIL_DEFAULT_PAGE_SIZE;
inline constexpr uint32_t kDefaultMaxPageSize = ES_UTIL_DEFAULT_MAX_PAGE_SIZE;

// The limits with every zero field replaced by its default.
inline es_limits effective_limits(const es_limits* given) { return es_util_effective_limits(given); }

// True for the canonical 8-4-4-4-12 hexadecimal form (either case) and nothing else.
inline bool is_canonical_uuid(std::string_view text) {
    return es_util_is_canonical_uuid(abi::bytes(text));
}

inline Status validate_stream_id(std::string_view stream_id, const es_limits& limits,
                                 const char* field = "stream_id") {
    es_error err = abi::make_struct<es_error>();
    return abi::status_of(es_util_validate_stream_id(abi::bytes(stream_id), &limits, field, &err),
                          err);
}

// The bytes one event counts against max_append_bytes: payload plus every metadata field.
inline uint64_t event_size(const es_event_data& event) { return es_util_event_size(&event); }

// The rules of a stream change that need no stored state (plugin.h "Stream lifecycle").
inline Status validate_stream_change(const es_stream_change_request& request, const es_limits& limits) {
    es_error err = abi::make_struct<es_error>();
    return abi::status_of(es_util_validate_stream_change(&request, &limits, &err), err);
}

// Every rule of an append, in the order a client would want to hear them.
inline Status validate_append(const es_append_request& request, const es_limits& limits) {
    es_error err = abi::make_struct<es_error>();
    return abi::status_of(es_util_validate_append(&request, &limits, &err), err);
}

// The page size a read uses: 0 means the default page, above the cap is clamped.
inline uint32_t effective_page_size(uint32_t requested, const es_limits& limits) {
    return es_util_page_size(requested, &limits);
}

}  // namespace eventstore::validation

#endif
