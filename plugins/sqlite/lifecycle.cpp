#include "lifecycle.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_rules.hpp"

namespace eventstore::sqlite {

namespace {

// One row always: the stream's row and its retention, NULLs for what is missing.
constexpr const char* kState =
    "SELECT s.current_version, s.owner, s.truncate_before, s.tombstoned, "
    "coalesce(r.max_count, 0), coalesce(r.max_age_us, 0) "
    "FROM (SELECT ?1 AS stream_id) k LEFT JOIN streams s ON s.stream_id = k.stream_id "
    "LEFT JOIN retention r ON r.stream_id = k.stream_id";
// A stream with no event yet gets a row of version 0 and no owner (a tombstone).
constexpr const char* kSetStream =
    "INSERT INTO streams (stream_id, current_version, owner, truncate_before, tombstoned) "
    "VALUES (?1, 0, NULL, ?2, ?3) ON CONFLICT (stream_id) DO UPDATE SET "
    "truncate_before = excluded.truncate_before, tombstoned = excluded.tombstoned";
constexpr const char* kRemove = "DELETE FROM events WHERE stream_id = ?1 AND stream_version < ?2";
constexpr const char* kSetRetention =
    "INSERT INTO retention (stream_id, max_count, max_age_us) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (stream_id) DO UPDATE SET max_count = excluded.max_count, "
    "max_age_us = excluded.max_age_us";
constexpr const char* kClearRetention = "DELETE FROM retention WHERE stream_id = ?1";
// CROSS JOIN keeps SQLite's loop order: the (few) streams with retention outside, their events
// by the (stream_id, stream_version) index inside; a plain JOIN may scan every event instead.
#define EXPIRED_EVENTS                                                                          \
    "SELECT e.global_position FROM retention r CROSS JOIN streams s ON s.stream_id = "           \
    "r.stream_id CROSS JOIN events e ON e.stream_id = r.stream_id WHERE " ES_SQLITE_EXPIRED("?1")
constexpr const char* kSweep =
    "DELETE FROM events WHERE global_position IN (" EXPIRED_EVENTS " LIMIT ?2)";
constexpr const char* kSweepStream =
    "DELETE FROM events WHERE global_position IN (" EXPIRED_EVENTS " AND r.stream_id = ?2)";
#undef EXPIRED_EVENTS

// A stream's row and retention, as kState reads them.
struct StreamRow {
    std::string owner;    // empty for a stream with no event yet
    es_stream_state state = abi::make_struct<es_stream_state>();
};

StreamRow stream_row(Connection& connection, std::string_view stream_id) {
    Query query(connection, kState);
    query.bind(1, stream_id).step();
    StreamRow row;
    row.owner = std::string(query.bytes(1));
    row.state.last_version = static_cast<uint64_t>(query.integer(0));
    row.state.truncate_before = static_cast<uint64_t>(query.integer(2));
    row.state.tombstoned = query.integer(3) != 0;
    row.state.max_count = static_cast<uint64_t>(query.integer(4));
    row.state.max_age_us = static_cast<uint64_t>(query.integer(5));
    return row;
}

// plugin.h OWNERS: a stream with events whose owner is not the request's (when it names one).
template <class Request>
bool of_another_owner(const Request& request, const StreamRow& row) {
    return row.state.last_version > 0 && plugin::owned_by_another(request, row.owner);
}

int64_t as_integer(uint64_t value) {
    return static_cast<int64_t>(std::min<uint64_t>(value, INT64_MAX));
}

// Raises truncate_before to `before` (and sets tombstoned) and removes the events below it.
void remove_before(Connection& connection, std::string_view stream_id, es_stream_state& state,
                   uint64_t before, bool tombstone, bool& removed) {
    state.truncate_before = std::max(state.truncate_before, before);
    state.tombstoned = state.tombstoned || tombstone;
    Query(connection, kSetStream)
        .bind(1, stream_id)
        .bind(2, as_integer(state.truncate_before))
        .bind(3, int64_t{state.tombstoned ? 1 : 0})
        .run();
    Query(connection, kRemove).bind(1, stream_id).bind(2, as_integer(state.truncate_before)).run();
    removed = sqlite3_changes(connection.handle()) > 0;
}

}  // namespace

int64_t now_us() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

Status change_in_transaction(Connection& connection, const es_stream_change_request& request,
                             es_stream_state& state, bool& removed) {
    const std::string_view stream_id = abi::view(request.stream_id);
    StreamRow row = stream_row(connection, stream_id);
    if (of_another_owner(request, row)) return plugin::not_the_owner(stream_id);
    state = row.state;
    if (row.state.tombstoned) return plugin::stream_tombstoned(stream_id);
    const uint64_t last = row.state.last_version;
    switch (request.kind) {
    case ES_CHANGE_DELETE:
    case ES_CHANGE_TOMBSTONE: {
        if (!plugin::change_expected_matches(request, last)) {
            return plugin::wrong_expected_version(request, last, state);
        }
        if (last == 0 && request.kind == ES_CHANGE_DELETE) return plugin::stream_not_found(stream_id);
        remove_before(connection, stream_id, state, last + 1, request.kind == ES_CHANGE_TOMBSTONE,
                      removed);
        return {};
    }
    case ES_CHANGE_TRUNCATE:
        if (last == 0) return plugin::stream_not_found(stream_id);
        remove_before(connection, stream_id, state, std::min(request.before_version, last + 1),
                      false, removed);
        return {};
    default:  // ES_CHANGE_SET_RETENTION: validation refused every other kind
        state.max_count = request.max_count;
        state.max_age_us = request.max_age_us;
        if (state.max_count == 0 && state.max_age_us == 0) {
            Query(connection, kClearRetention).bind(1, stream_id).run();
        } else {
            Query(connection, kSetRetention)
                .bind(1, stream_id)
                .bind(2, as_integer(state.max_count))
                .bind(3, as_integer(state.max_age_us))
                .run();
        }
        return {};
    }
}

Status read_state(Connection& connection, const es_stream_state_request& request,
                  es_stream_state& state) {
    const std::string_view stream_id = abi::view(request.stream_id);
    const StreamRow row = stream_row(connection, stream_id);
    const bool known = row.state.last_version > 0 || row.state.tombstoned ||
                       row.state.max_count > 0 || row.state.max_age_us > 0;
    if (!known || of_another_owner(request, row)) return plugin::stream_not_found(stream_id);
    state = row.state;
    return {};
}

bool sweep_expired(Connection& connection, int64_t now_us, bool& removed) {
    Query(connection, kSweep).bind(1, now_us).bind(2, kSweepBatch).run();
    const int count = sqlite3_changes(connection.handle());
    removed = count > 0;
    return count >= kSweepBatch;
}

bool sweep_stream(Connection& connection, std::string_view stream_id, int64_t now_us) {
    Query(connection, kSweepStream).bind(1, now_us).bind(2, stream_id).run();
    return sqlite3_changes(connection.handle()) > 0;
}

}  // namespace eventstore::sqlite
