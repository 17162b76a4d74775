// eventstore/append_rules.hpp: the contract's decisions about one append, apart from how a
// backend stores rows (docs/contract.md "Append"): the stream owner check, the expected-version check
// and the idempotent-retry rule, with the messages clients see. Every backend of this tree uses them, so all give the same
// verdicts in the same words. C++17, header-only.
#ifndef EVENTSTORE_APPEND_RULES_HPP
#define EVENTSTORE_APPEND_RULES_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eventstore/abi_struct.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::plugin {

// An event already stored under one of the request's event ids.
struct StoredId {
    std::string event_id;
    std::string stream_id;
    uint64_t stream_version = 0;
    uint64_t global_position = 0;
};

inline std::string describe_expected(const es_append_request& request) {
    switch (request.expected_kind) {
    case ES_EXPECT_NO_STREAM: return "no stream";
    case ES_EXPECT_STREAM_EXISTS: return "an existing stream";
    case ES_EXPECT_EXACT: return "exact " + std::to_string(request.expected_version);
    default: return "any";
    }
}

inline Status already_stored(size_t index, const StoredId& stored, const std::string& why) {
    return Status(Code::already_exists,
                  "events[" + std::to_string(index) + "].metadata.event_id " + stored.event_id +
                      " is already stored in stream '" + stored.stream_id + "' at version " +
                      std::to_string(stored.stream_version) + " (position " +
                      std::to_string(stored.global_position) +
                      "), and this append is not an idempotent retry: " + why);
}

// plugin.h "Stream owners": true when the request (append or read_stream) names an owner and the
// stream, whose version-1 event carries `first_tenant`, belongs to another.
template <class Request>
bool owned_by_another(const Request& request, std::string_view first_tenant) {
    return request.owner_tenant.len > 0 && abi::view(request.owner_tenant) != first_tenant;
}

// PERMISSION_DENIED for an append into a stream of another owner. Names nothing of the stream
// but its id, which the caller sent.
inline Status not_the_owner(std::string_view stream_id) {
    return Status(Code::permission_denied,
                  "stream '" + std::string(stream_id) + "' belongs to another tenant");
}

// NOT_FOUND for a read of a stream with no events, and of a stream of another owner alike.
inline Status stream_not_found(std::string_view stream_id) {
    return Status(Code::not_found, "stream '" + std::string(stream_id) + "' not found");
}

// Whether a stream at `current` satisfies the request's expected version.
inline bool expected_matches(const es_append_request& request, uint64_t current) {
    switch (request.expected_kind) {
    case ES_EXPECT_NO_STREAM: return current == 0;
    case ES_EXPECT_STREAM_EXISTS: return current >= 1;
    case ES_EXPECT_EXACT: return current == request.expected_version;
    default: return true;  // ES_EXPECT_ANY: validation refused every other kind
    }
}

// FAILED_PRECONDITION for a stream at `current` (sets result.actual_version).
inline Status wrong_expected_version(const es_append_request& request, uint64_t current,
                              es_append_result& result) {
    result.actual_version = current;
    const std::string stream_id(abi::view(request.stream_id));
    return Status(Code::failed_precondition,
                  "wrong expected version for stream '" + stream_id + "': expected " +
                      describe_expected(request) + ", actual " + std::to_string(current));
}

// Given the stored events that carry any of the request's ids (any order): OK with false when
// there are none; OK with true and `result` filled (the original versions and positions) when
// every id is stored, in this stream, as consecutive versions in the request's order; otherwise
// ALREADY_EXISTS naming the first offending event.
inline Result<bool> judge_retry(const es_append_request& request, const std::vector<StoredId>& stored,
                         es_append_result& result) {
    if (stored.empty()) return false;
    std::unordered_map<std::string_view, const StoredId*> by_id;
    for (const StoredId& id : stored) by_id.emplace(id.event_id, &id);
    std::vector<const StoredId*> found(request.event_count, nullptr);
    size_t first_stored = request.event_count;
    for (size_t i = 0; i < request.event_count; ++i) {
        const auto hit = by_id.find(abi::view(request.events[i]->event_id));
        if (hit == by_id.end()) continue;
        found[i] = hit->second;
        if (first_stored == request.event_count) first_stored = i;
    }
    if (first_stored == request.event_count) return false;
    const std::string_view stream_id = abi::view(request.stream_id);
    for (size_t i = 0; i < found.size(); ++i) {
        if (found[i] == nullptr) {
            return already_stored(first_stored, *found[first_stored],
                                  "events[" + std::to_string(i) + "] is not stored");
        }
        if (found[i]->stream_id != stream_id) {
            return already_stored(i, *found[i],
                                  "this append is to stream '" + std::string(stream_id) + "'");
        }
        if (found[i]->stream_version != found[0]->stream_version + i) {
            return already_stored(i, *found[i],
                                  "the stored events are not consecutive in this order");
        }
    }
    result.current_version = found.back()->stream_version;
    result.first_global_position = found.front()->global_position;
    result.last_global_position = found.back()->global_position;
    return true;
}

}  // namespace eventstore::plugin

#endif
