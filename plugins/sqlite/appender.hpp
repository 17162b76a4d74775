// appender.hpp: one append decided and written inside the writer's open transaction.
//
// The decision is the contract's (eventstore/append_rules.hpp): a stream of another owner than the
// request's owner_tenant (when set) refuses it first (PERMISSION_DENIED, plugin.h "Stream owners":
// the stream's row, read anyway for its version, carries its owner); a tombstoned stream (the
// same row) refuses it with FAILED_PRECONDITION and result.tombstoned (plugin.h "Stream
// lifecycle"); an event id stored already makes the append an idempotent retry or ALREADY_EXISTS
// (an id of an event past its retention is free: that stream's expired events are removed
// first, lifecycle.hpp); otherwise the expected version is
// checked against the stream's current version; then the events are inserted at the positions
// after `head` and the stream's row is set to its new version (a new stream's owner: the tenant of
// its first event). The transaction sees the appends before it in the same group, so a group
// decides exactly as if its members ran one after the other.
//
// Thread safety: stateless; the writer's connection, on the writer's thread.
#ifndef EVENTSTORE_PLUGINS_SQLITE_APPENDER_HPP
#define EVENTSTORE_PLUGINS_SQLITE_APPENDER_HPP

#include <cstdint>

#include "connection.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"
#include "sqlite_errors.hpp"

namespace eventstore::sqlite {

// How an append finds the stored events that carry its ids.
enum class IdCheck {
    // No lookup when the expected version matches: the events are inserted at once, and an id
    // stored already makes its INSERT fail on the unique index (SqliteError with
    // SQLITE_CONSTRAINT_UNIQUE, is_taken_id() true). The caller then rolls back what the call
    // wrote and decides the request again with `looked_up`. A mismatched expected version looks
    // the ids up first, since an idempotent retry wins over it.
    on_insert,
    // Each id looked up before anything is written (the contract's order, as the memory backend).
    looked_up,
};

// Decides `request` (validated) and, when accepted, writes it at positions head + 1, ...,
// moving `head` to its last position and stamping each event with `recorded_at_us`. OK with
// `result` filled (written or an idempotent retry), or the contract's refusal (PERMISSION_DENIED,
// FAILED_PRECONDITION with result.actual_version and, for a tombstone, result.tombstoned,
// ALREADY_EXISTS). SQLite's failures throw SqliteError (`head` and `result` then untouched), and
// what this call wrote must then be rolled back by the caller. Both IdCheck ways decide alike.
Status append_in_transaction(Connection& connection, const es_append_request& request,
                             es_append_result& result, uint64_t& head, int64_t recorded_at_us,
                             IdCheck id_check);

// Whether `error`, thrown by append_in_transaction with IdCheck::on_insert, may be an id stored
// already (a unique index refused an INSERT): the request must then be decided again with
// IdCheck::looked_up.
bool is_taken_id(const SqliteError& error);

}  // namespace eventstore::sqlite

#endif
