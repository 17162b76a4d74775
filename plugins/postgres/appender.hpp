// appender.hpp: decides and writes a group of appends, each with its own verdict (docs/contract.md
// "Append"), on a borrowed connection. Two ways:
//
// In one statement (run_in_one_statement, kAppendGroup): one round trip, its own transaction. It
// assumes that no event id of the group is stored and that every member's owner_tenant (if any)
// and expected version hold; when one assumption fails, the statement writes nothing and the
// group goes the careful way. Those are the cases of idempotent retries, reused ids,
// expected-version conflicts and appends into another owner's stream.
//
// The careful way (run), one transaction of four round trips:
//   1. lock: lock the group's streams in stream id order (creating new ones at version 0), and
//      look up every event id of the group (kLockStreams);
//   2. decide, member by member in group order, as if they ran one after the other: a stream of
//      another owner decides it first (PERMISSION_DENIED, plugin.h "Stream owners": the stream's
//      row carries its owner); then an id already stored decides the member (idempotent retry,
//      or ALREADY_EXISTS); otherwise its expected version is checked against the stream's
//      version so far in the group. A mismatch is checked once more against the ids from a fresh
//      snapshot (an identical append may have committed while this transaction waited for the
//      row lock) before FAILED_PRECONDITION;
//   3. write every accepted member at once: positions from the head, events, stream versions
//      and the owners of new streams (the tenant of their first event), NOTIFY (kWriteEvents);
//      commit.
// A race lost to another transaction (a stream created after the lock statement's snapshot, an
// event id inserted meanwhile, a deadlock) rolls everything back and asks for the group to run
// again, when the lock statement decides anew.
//
// Locks are taken stream rows first, in one order, head row last. Thread safety: stateless; one
// call per connection at a time.
#ifndef EVENTSTORE_PLUGINS_POSTGRES_APPENDER_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_APPENDER_HPP

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "eventstore/deadline.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::postgres {

// One caller's append in a group, and what it was told.
struct PendingAppend {
    const es_append_request* request = nullptr;  // validated; check_storable passed
    es_append_result* result = nullptr;          // filled on OK, and actual_version on a mismatch
    Deadline deadline;                           // from request->timeout_us
    Status status;
    uint64_t written_head = 0;  // on OK: the last position it wrote (0 for an idempotent retry)
};

class Appender {
public:
    // `channel`: where commits are announced (NOTIFY) to other processes.
    explicit Appender(std::string channel) : channel_(std::move(channel)) {}

    enum class Outcome {
        decided,  // every member's status is set; the accepted ones are committed
        again,    // nothing was committed; run the group again
    };

    // Runs `group` (no event id in two members) as one statement, assuming as said above. true:
    // every member succeeded and is committed. false: an assumption failed (or a deadlock was
    // broken) and nothing was written; decide the group with run(). libpqxx exceptions go
    // through to the caller, except a lost connection, which becomes pqxx::in_doubt_error: the
    // statement was sent and may have committed (a retry with the same event ids is then
    // answered idempotently).
    bool run_in_one_statement(pqxx::connection& connection,
                              const std::vector<PendingAppend*>& group) const;

    // Runs `group` (no event id in two members) as one transaction. libpqxx exceptions go
    // through to the caller: nothing was committed, unless the exception is pqxx::in_doubt_error.
    Outcome run(pqxx::connection& connection, const std::vector<PendingAppend*>& group) const;

private:
    const std::string channel_;
};

// The stream versions, as [lowest, highest], that the request's expected version accepts before
// it: exactly those `current` for which plugin::expected_matches(request, current) holds.
struct AcceptedVersions {
    int64_t lowest;
    int64_t highest;
};
AcceptedVersions accepted_versions(const es_append_request& request);

}  // namespace eventstore::postgres

#endif
