// append_verdicts.hpp: the contract's decisions about one append, apart from how rows are read:
// the expected-version check and the idempotent-retry rule (CONTRACT.md "Append"), with the
// same wording as the memory backend's messages.
#ifndef EVENTSTORE_PLUGINS_POSTGRES_APPEND_VERDICTS_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_APPEND_VERDICTS_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::postgres {

// An event already stored under one of the request's event ids.
struct StoredId {
    std::string event_id;
    std::string stream_id;
    uint64_t stream_version = 0;
    uint64_t global_position = 0;
};

// Whether a stream at `current` satisfies the request's expected version.
bool expected_matches(const es_append_request& request, uint64_t current);

// FAILED_PRECONDITION for a stream at `current` (sets result.actual_version).
Status wrong_expected_version(const es_append_request& request, uint64_t current,
                              es_append_result& result);

// Given the stored events that carry any of the request's ids (any order): OK with false when
// there are none; OK with true and `result` filled (the original versions and positions) when
// every id is stored, in this stream, as consecutive versions in the request's order; otherwise
// ALREADY_EXISTS naming the first offending event.
Result<bool> judge_retry(const es_append_request& request, const std::vector<StoredId>& stored,
                         es_append_result& result);

}  // namespace eventstore::postgres

#endif
