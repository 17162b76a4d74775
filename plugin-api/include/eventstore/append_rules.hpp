// eventstore/append_rules.hpp: the contract's decisions about one append, apart from how a
// backend stores rows (docs/contract.md "Append"): the stream owner check, the expected-version
// check and the idempotent-retry rule, with the messages clients see, for C++; and those of the
// stream lifecycle (plugin.h "Stream lifecycle"). The decisions and
// their words are the C helper's (eventstore/plugin_util.h): every backend of this tree, in C or
// C++, gives the same verdicts in the same words. C++17, header-only.
#ifndef EVENTSTORE_APPEND_RULES_HPP
#define EVENTSTORE_APPEND_RULES_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eventstore/abi_struct.hpp"
#include "eventstore/plugin.h"
#include "eventstore/plugin_util.h"
#include "eventstore/status.hpp"

namespace eventstore::plugin {

// An event already stored under one of the request's event ids.
struct StoredId {
    std::string event_id;
    std::string stream_id;
    uint64_t stream_version = 0;
    uint64_t global_position = 0;
};

// plugin.h "Stream owners": true when the request (append or read_stream) names an owner and the
// stream, whose version-1 event carries `first_tenant`, belongs to another.
template <class Request>
bool owned_by_another(const Request& request, std::string_view first_tenant) {
    return es_util_owned_by_another(request.owner_tenant, abi::bytes(first_tenant));
}

// PERMISSION_DENIED for an append into a stream of another owner. Names nothing of the stream
// but its id, which the caller sent.
inline Status not_the_owner(std::string_view stream_id) {
    es_error err = abi::make_struct<es_error>();
    return abi::status_of(es_util_not_the_owner(abi::bytes(stream_id), &err), err);
}

// NOT_FOUND for a read of a stream with no events, and of a stream of another owner alike.
inline Status stream_not_found(std::string_view stream_id) {
    es_error err = abi::make_struct<es_error>();
    return abi::status_of(es_util_stream_not_found(abi::bytes(stream_id), &err), err);
}

// Whether a stream at `current` satisfies the request's expected version.
inline bool expected_matches(const es_append_request& request, uint64_t current) {
    return es_util_expected_matches(&request, current);
}

// FAILED_PRECONDITION for a stream at `current` (sets result.actual_version).
inline Status wrong_expected_version(const es_append_request& request, uint64_t current,
                                     es_append_result& result) {
    es_error err = abi::make_struct<es_error>();
    return abi::status_of(es_util_wrong_expected_version(&request, current, &result, &err), err);
}

// Given the stored events that carry any of the request's ids (any order): OK with false when
// there are none; OK with true and `result` filled (the original versions and positions) when
// every id is stored, in this stream, as consecutive versions in the request's order; otherwise
// ALREADY_EXISTS naming the first offending event (es_util_judge_retry).
inline Result<bool> judge_retry(const es_append_request& request, const std::vector<StoredId>& stored,
                                es_append_result& result) {
    if (stored.empty()) return false;
    std::unordered_map<std::string_view, const StoredId*> by_id;
    for (const StoredId& id : stored) by_id.emplace(id.event_id, &id);
    std::vector<es_util_stored_id> found(request.event_count, es_util_stored_id{});
    for (size_t i = 0; i < request.event_count; ++i) {
        const auto hit = by_id.find(abi::view(request.events[i]->event_id));
        if (hit == by_id.end()) continue;
        found[i] = {true, abi::bytes(hit->second->stream_id), hit->second->stream_version,
                    hit->second->global_position};
    }
    bool retry = false;
    es_error err = abi::make_struct<es_error>();
    const es_status status = es_util_judge_retry(&request, found.data(), &retry, &result, &err);
    if (status != ES_OK) return abi::status_of(status, err);
    return retry;
}

// The stream lifecycle's decisions (plugin.h "Stream lifecycle"), the C helper's as well.

// Whether a DELETE or TOMBSTONE's expected version meets the stream's last_version (true for the
// other kinds, which have none).
inline bool change_expected_matches(const es_stream_change_request& request, uint64_t last_version) {
    return es_util_change_expected_matches(&request, last_version);
}

// FAILED_PRECONDITION for a DELETE or TOMBSTONE the stream's last_version does not meet (sets
// state.last_version).
inline Status wrong_expected_version(const es_stream_change_request& request, uint64_t last_version,
                                     es_stream_state& state) {
    es_error err = abi::make_struct<es_error>();
    return abi::status_of(
        es_util_change_wrong_expected_version(&request, last_version, &state, &err), err);
}

// FAILED_PRECONDITION for an append or a change of a tombstoned stream; the caller sets
// es_append_result.tombstoned or es_stream_state.tombstoned.
inline Status stream_tombstoned(std::string_view stream_id) {
    es_error err = abi::make_struct<es_error>();
    return abi::status_of(es_util_stream_tombstoned(abi::bytes(stream_id), &err), err);
}

// The lowest version readable by truncate_before and max_count (es_util_first_kept_version).
inline uint64_t first_kept_version(const es_stream_state& state) {
    return es_util_first_kept_version(&state);
}

// Whether retention by age keeps an event recorded at `recorded_at_us` (es_util_young_enough).
inline bool young_enough(const es_stream_state& state, int64_t recorded_at_us, int64_t now_us) {
    return es_util_young_enough(&state, recorded_at_us, now_us);
}

}  // namespace eventstore::plugin

#endif
