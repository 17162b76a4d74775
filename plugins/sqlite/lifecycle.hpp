// lifecycle.hpp: the stream lifecycle (plugin.h "Stream lifecycle") on the sqlite schema of
// migration 0003: each stream's row in `streams` (last version, owner, truncate_before,
// tombstoned), its retention in `retention` (a row only while it has a limit), and the removal of
// events, which DELETEs their rows (secure_delete zeroes their bytes in the file).
//
// Removed by a change (delete, tombstone, truncate): the rows are gone when the change's
// transaction commits, so reads need no filter for them. Past a retention limit: reads filter
// them out (kExpiredEvent) until the writer's sweep removes them.
//
// Thread safety: stateless; change_in_transaction, sweep_expired and sweep_stream on the writer's
// connection, on its thread, inside its open transaction; read_state on a read connection.
#ifndef EVENTSTORE_PLUGINS_SQLITE_LIFECYCLE_HPP
#define EVENTSTORE_PLUGINS_SQLITE_LIFECYCLE_HPP

#include <cstdint>
#include <string_view>

#include "connection.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

// The condition, in SQL, under which the event `e` of the stream whose `streams` row is `s` and
// whose `retention` row is `r` is past a retention limit, `now` (an SQL parameter) being the
// current time in microseconds (plugin.h: kept while version > last_version - max_count and
// recorded_at_us >= now - max_age_us).
#define ES_SQLITE_EXPIRED(now)                                                                  \
    "((r.max_count > 0 AND e.stream_version <= s.current_version - r.max_count) OR "              \
    "(r.max_age_us > 0 AND e.recorded_at_us < " now " - r.max_age_us))"

namespace eventstore::sqlite {

// The wall clock in microseconds since 1970: recorded_at_us, and the "now" of retention by age.
int64_t now_us();

// The most events one sweep removes.
inline constexpr int64_t kSweepBatch = 10000;

// Decides `request` (validated) against the stream's state and applies it: the owner first
// (PERMISSION_DENIED), then tombstoned (FAILED_PRECONDITION), then the kind's own rules
// (expected version, NOT_FOUND for a stream with no event ever). Writes the state after the
// change, or the state that refused it, into `state`; sets `removed` when events were removed.
// SQLite's failures throw SqliteError.
Status change_in_transaction(Connection& connection, const es_stream_change_request& request,
                             es_stream_state& state, bool& removed);

// The stream's state (es_stream_state), or NOT_FOUND for a stream with no event ever, not
// tombstoned, with no retention, and for one of another owner than request.owner_tenant.
Status read_state(Connection& connection, const es_stream_state_request& request,
                  es_stream_state& state);

// Removes up to kSweepBatch events past their stream's retention at `now_us`; true when the batch
// was full (there may be more). Sets `removed` when it removed any.
bool sweep_expired(Connection& connection, int64_t now_us, bool& removed);

// Removes every event of `stream_id` past its retention at `now_us`; true when it removed any.
bool sweep_stream(Connection& connection, std::string_view stream_id, int64_t now_us);

}  // namespace eventstore::sqlite

#endif
