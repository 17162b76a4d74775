// lifecycle.hpp: the stream lifecycle (plugin.h "Stream lifecycle", ABI 1.5) on a borrowed
// connection: change_stream, stream_state and the retention sweep. docs/postgres-backend.md,
// "Stream lifecycle".
//
// A stream's state lives on its row in `streams` (migration 0004): current_version is its
// last_version, beside truncate_before, tombstoned, max_count, max_age_us and the owner (0003),
// which stays when the events go. change_stream is one transaction: it locks the row (creating
// it when missing), the lock every append of the stream takes too, so an append lands wholly
// before the change (and is removed by it) or after it; decides; writes the new state and DELETEs
// the rows the stream no longer keeps in one statement; commits. The bytes have left the table's
// live rows when it returns. The sweep deletes what retention removed since, in batches.
//
// Thread safety: stateless; one call per connection at a time.
#ifndef EVENTSTORE_PLUGINS_POSTGRES_LIFECYCLE_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_LIFECYCLE_HPP

#include <cstdint>

#include <pqxx/connection>

#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::postgres {

// Runs a validated change. libpqxx exceptions go through to the caller. `state` is written on OK
// and on FAILED_PRECONDITION (the state that refused it).
Status change_stream(pqxx::connection& connection, const es_stream_change_request& request,
                     es_stream_state& state);

// NOT_FOUND for a stream with no row, of another owner than request.owner_tenant (when set), or
// with no event ever, not tombstoned and no retention.
Status stream_state(pqxx::connection& connection, const es_stream_state_request& request,
                    es_stream_state& state);

// Deletes up to `batch` events that their stream's retention removes, in one transaction; returns
// how many (fewer than `batch`: none is left).
uint64_t sweep(pqxx::connection& connection, uint64_t batch);

}  // namespace eventstore::postgres

#endif
