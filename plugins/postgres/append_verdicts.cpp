#include "append_verdicts.hpp"

#include <string_view>
#include <unordered_map>

#include "eventstore/abi_struct.hpp"

namespace eventstore::postgres {

namespace {

std::string describe_expected(const es_append_request& request) {
    switch (request.expected_kind) {
    case ES_EXPECT_NO_STREAM: return "no stream";
    case ES_EXPECT_STREAM_EXISTS: return "an existing stream";
    case ES_EXPECT_EXACT: return "exact " + std::to_string(request.expected_version);
    default: return "any";
    }
}

Status already_stored(size_t index, const StoredId& stored, const std::string& why) {
    return Status(Code::already_exists,
                  "events[" + std::to_string(index) + "].metadata.event_id " + stored.event_id +
                      " is already stored in stream '" + stored.stream_id + "' at version " +
                      std::to_string(stored.stream_version) + " (position " +
                      std::to_string(stored.global_position) +
                      "), and this append is not an idempotent retry: " + why);
}

}  // namespace

bool expected_matches(const es_append_request& request, uint64_t current) {
    switch (request.expected_kind) {
    case ES_EXPECT_NO_STREAM: return current == 0;
    case ES_EXPECT_STREAM_EXISTS: return current >= 1;
    case ES_EXPECT_EXACT: return current == request.expected_version;
    default: return true;  // ES_EXPECT_ANY: validation refused every other kind
    }
}

Status wrong_expected_version(const es_append_request& request, uint64_t current,
                              es_append_result& result) {
    result.actual_version = current;
    const std::string stream_id(abi::view(request.stream_id));
    return Status(Code::failed_precondition,
                  "wrong expected version for stream '" + stream_id + "': expected " +
                      describe_expected(request) + ", actual " + std::to_string(current));
}

Result<bool> judge_retry(const es_append_request& request, const std::vector<StoredId>& stored,
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

}  // namespace eventstore::postgres
