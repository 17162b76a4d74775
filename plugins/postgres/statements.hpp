// statements.hpp: every statement the store runs, prepared once per connection (Session) and
// executed by name. They run with search_path set to the store's schema. Why the append
// statements are shaped so: docs/postgres-backend.md, "Ordering" and "Appends".
#ifndef EVENTSTORE_PLUGINS_POSTGRES_STATEMENTS_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_STATEMENTS_HPP

namespace eventstore::postgres::sql {

// A statement: its name on the connection, and its text.
struct Statement {
    const char* name;
    const char* text;
};

// ---- appends (appender.hpp) --------------------------------------------------------------
// Every append statement locks stream rows in byte order of their ids (COLLATE "C", as C++
// sorts std::string), then the head row: one lock order for all, whatever the database's collation.
// A stream's row carries its owner (plugin.h "Stream owners"; migration 0003): the tenant_id of
// its version-1 event, set in the statement that writes that event and never changed, so the
// owner check reads the row the append locks anyway.

// The parts the two statements that write events share (kAppendGroup, kWriteEvents), with the
// parameters both number alike: $1 n, the number of events; per event, $2 stream_id, $3 its
// version, $4..$9 event_id, type_name, content_type, tenant_id, correlation_id, causation_id
// (text[]), $10..$13 payload_at, payload_length, headers_at, headers_length (int[]); $14 the blob
// (bytea) that holds every payload and header encoding (event_columns.hpp).
//
// Takes n positions from the head (its row lock is held until commit: that is what makes
// transactions commit in position order) and stamps recorded_at never below the previous one.
#define ES_TAKE_POSITIONS                                                                         \
    "UPDATE head SET position = position + $1, "                                                  \
    "recorded_at = greatest(clock_timestamp(), recorded_at) "
// The events as rows e(..., ord), ord counting from 1.
#define ES_GIVEN_EVENTS                                                                           \
    "unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], "          \
    "$8::text[], $9::text[], $10::int[], $11::int[], $12::int[], $13::int[]) "                    \
    "WITH ORDINALITY AS e(stream_id, stream_version, event_id, type_name, content_type, "         \
    "tenant_id, correlation_id, causation_id, payload_at, payload_length, headers_at, "           \
    "headers_length, ord) "
// Inserts the given events at positions h.base + ord, with `version` as their stream version.
#define ES_INSERT_EVENTS(version)                                                                 \
    "INSERT INTO events (global_position, stream_id, stream_version, event_id, type_name, "       \
    "content_type, tenant_id, correlation_id, causation_id, headers, payload, recorded_at) "      \
    "SELECT h.base + e.ord, e.stream_id, " version ", e.event_id, e.type_name, e.content_type, "  \
    "e.tenant_id, e.correlation_id, e.causation_id, "                                             \
    "substring($14::bytea FROM e.headers_at FOR e.headers_length), "                              \
    "substring($14::bytea FROM e.payload_at FOR e.payload_length), h.recorded_at "

// The whole group in one statement, run outside a transaction block (so it is its own
// transaction, committed when it returns): one round trip. It assumes what almost always holds:
// no event id of the group is stored yet, no stream of it is tombstoned, and every member names
// its stream's owner (or no owner) and its expected version accepts its stream's version. It adds the group's event counts
// to its streams' versions (creating the new streams, owned by the tenant of their first event in
// the group, as is a stream whose row exists without events: one with a retention set), locking their rows in stream id order; checks every member's owner and expected
// version against the owner and the version its stream had before it, and that the stream is
// not tombstoned (append_assumption raises ES001 when one does not hold); takes the positions from the head, writes the events, and queues
// a NOTIFY of the new head for other processes. A stored event id fails the statement with a
// unique violation. Either way nothing is written and the caller decides the group on the careful
// path (kLockStreams, ...), which also gives a member of another owner its PERMISSION_DENIED.
//   $1..$14 as above, the versions ($3) counted from 1 per stream (relative to its version
//   before the group); $15 notification channel; $16 the group's stream ids, sorted and distinct
//   (text[]), $17 how many events each gets (bigint[]); per member: $18 stream id (text[]),
//   $19 the events of earlier members of that stream in the group, $20 and $21 the lowest and
//   highest version before it that its expected version accepts (bigint[]); $22 per stream of
//   $16, the owner it gets if new: the tenant_id of its first event in the group (text[]); $23
//   per member, its owner_tenant ('' = no check) (text[]).
// Rows: (base, version) per stream in $16's order: the position before the first event, and the
// stream's version before the group.
inline constexpr Statement kAppendGroup{"append_group", R"(
WITH wanted AS (
    SELECT * FROM unnest($16::text[], $17::bigint[], $22::text[])
            WITH ORDINALITY AS w(stream_id, added, owner, idx)),
added AS (
    INSERT INTO streams AS s (stream_id, current_version, owner)
    SELECT stream_id, added, owner FROM wanted ORDER BY idx
    ON CONFLICT (stream_id) DO UPDATE SET current_version = s.current_version + excluded.current_version,
                                          owner = coalesce(s.owner, excluded.owner)
    RETURNING s.stream_id, s.current_version, s.owner, s.tombstoned),
prior AS (
    SELECT w.idx, w.stream_id, a.current_version - w.added AS version, a.owner, a.tombstoned
    FROM wanted w JOIN added a ON a.stream_id = w.stream_id),
checked AS (
    SELECT append_assumption(bool_and((m.owner = '' OR m.owner = p.owner) AND NOT p.tombstoned
                                      AND p.version + m.before BETWEEN m.lowest AND m.highest)) AS holds
    FROM unnest($18::text[], $19::bigint[], $20::bigint[], $21::bigint[], $23::text[])
            AS m(stream_id, before, lowest, highest, owner)
    JOIN prior p ON p.stream_id = m.stream_id),
h AS (
    )" ES_TAKE_POSITIONS R"(WHERE (SELECT holds FROM checked)
    RETURNING position - $1 AS base, recorded_at, pg_notify($15, position::text)),
written AS (
    )" ES_INSERT_EVENTS("p.version + e.stream_version") R"(
    FROM h CROSS JOIN )" ES_GIVEN_EVENTS R"(JOIN prior p ON p.stream_id = e.stream_id)
SELECT h.base, p.version FROM h CROSS JOIN prior p ORDER BY p.idx)"};

// Locks the group's streams, in stream id order, creating the missing ones at version 0 without
// an owner, and finds the stored events that carry any of the group's event ids.
//   $1 the group's stream ids, sorted and distinct (text[]), $2 every event id (text[])
// Rows: (stream_id, current_version, NULL, NULL, owner, tombstoned) for each locked or created
//       stream (owner NULL for a created one, and for one without events); (stream_id,
//       stream_version, event_id, global_position, NULL, NULL) for each stored id.
// A stream committed by someone else after this statement's snapshot was taken is in neither
// set of the first kind: the caller runs the statement again (a new snapshot sees it).
inline constexpr Statement kLockStreams{"lock_streams", R"(
WITH created AS (
    INSERT INTO streams (stream_id, current_version)
    SELECT s, 0 FROM unnest($1::text[]) AS s
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING stream_id),
locked AS (
    SELECT stream_id, current_version, owner, tombstoned FROM streams
    WHERE stream_id = ANY($1::text[]) ORDER BY stream_id COLLATE "C" FOR UPDATE)
SELECT stream_id, current_version, NULL::text, NULL::bigint, owner, tombstoned FROM locked
UNION ALL
SELECT stream_id, 0, NULL, NULL, NULL, false FROM created
UNION ALL
SELECT stream_id, stream_version, event_id, global_position, NULL, NULL
FROM events WHERE event_id = ANY($2::text[]))"};

// The stored events that carry one of the given ids, seen from a fresh snapshot.
//   $1 event ids text[]
inline constexpr Statement kFindIds{"find_ids", R"(
SELECT stream_id, stream_version, event_id, global_position
FROM events WHERE event_id = ANY($1::text[]))"};

// The careful way's write: takes the positions, writes the events, moves the streams to their
// new versions and owners (the owner is new for a stream without events, unchanged for the
// others), drops streams this transaction created but wrote nothing to (a row without events that
// holds lifecycle state, a retention or a tombstone, stays), and queues a NOTIFY
// of the new head for other processes. Returns the position before the first event.
//   $1..$14 as above, the versions ($3) absolute; $15 notification channel, $16 written streams
//   text[], $17 their new versions bigint[], $18 streams left empty text[], $19 the owners of the
//   written streams text[]
inline constexpr Statement kWriteEvents{"write_events", R"(
WITH h AS (
    )" ES_TAKE_POSITIONS R"(RETURNING position - $1 AS base, recorded_at),
written AS (
    )" ES_INSERT_EVENTS("e.stream_version") R"(FROM h, )" ES_GIVEN_EVENTS R"(),
moved AS (
    UPDATE streams s SET current_version = v.version, owner = v.owner
    FROM unnest($16::text[], $17::bigint[], $19::text[]) AS v(stream_id, version, owner)
    WHERE s.stream_id = v.stream_id),
emptied AS (
    DELETE FROM streams WHERE stream_id = ANY($18::text[]) AND current_version = 0
    AND truncate_before = 0 AND NOT tombstoned AND max_count = 0 AND max_age_us = 0)
SELECT base, pg_notify($15, (base + $1)::text) FROM h)"};

#undef ES_TAKE_POSITIONS
#undef ES_GIVEN_EVENTS
#undef ES_INSERT_EVENTS

// ---- reads (event_reader.hpp) --------------------------------------------------------------
// Column 0 is the statement's own (the stream's current version, or the head); then the event
// columns RowIterator reads. A page without events is one row with NULL event columns.
#define ES_EVENT_COLUMNS                                                                          \
    "e.global_position, e.stream_id, e.stream_version, "                                          \
    "(extract(epoch FROM e.recorded_at) * 1000000)::bigint, e.event_id, e.type_name, "            \
    "e.content_type, e.tenant_id, e.correlation_id, e.causation_id, e.headers, e.payload"

// Whether the retention of the stream row `s` (current_version, max_count, max_age_us) removes
// the event row `e` (stream_version, recorded_at), by the database's clock at the statement
// (plugin.h "Stream lifecycle"; docs/postgres-backend.md, "Stream lifecycle"). Ages beyond 100
// years count as 100 years, which keeps the interval in range.
#define ES_EXPIRED                                                                                \
    "((s.max_count > 0 AND e.stream_version <= s.current_version - s.max_count) OR "              \
    "(s.max_age_us > 0 AND e.recorded_at < statement_timestamp() - "                              \
    "make_interval(secs => least(s.max_age_us, 3155760000000000) / 1000000.0)))"

// A stream's readable events are a suffix of its versions: DELETE, TOMBSTONE and TRUNCATE delete
// the rows below truncate_before in the transaction that raises it, max_count keeps the last
// versions and recorded_at never goes down as versions go up. So the reads find the first
// readable version once (f.first, NULL when none is) and read from there; the stream's current
// version (column 0) reads 0 when no event is readable, which the caller answers NOT_FOUND.
#define ES_STREAM_AND_FIRST                                                                       \
    "SELECT CASE WHEN f.first IS NULL THEN 0 ELSE s.current_version END, " ES_EVENT_COLUMNS       \
    ", f.first FROM streams s CROSS JOIN LATERAL ("                                               \
    "SELECT min(e.stream_version) AS first FROM events e "                                        \
    "WHERE e.stream_id = s.stream_id AND NOT " ES_EXPIRED ") f LEFT JOIN LATERAL ("

// $1 stream_id, $2 the first (forward) or last (backward) version, $3 max_count, $4 the reader's
// owner_tenant ('' = no check): a stream of another owner reads as no row, as a missing one.
// Column 13 (after the event columns): the first readable version (ES_STREAM_AND_FIRST).
inline constexpr Statement kReadStreamForward{"read_stream_forward",
    ES_STREAM_AND_FIRST
    "SELECT * FROM events e WHERE e.stream_id = s.stream_id "
    "AND e.stream_version >= greatest($2, f.first) "
    "ORDER BY e.stream_version LIMIT $3) e ON f.first IS NOT NULL "
    "WHERE s.stream_id = $1 AND ($4 = '' OR s.owner = $4) "
    "ORDER BY e.stream_version"};
inline constexpr Statement kReadStreamBackward{"read_stream_backward",
    ES_STREAM_AND_FIRST
    "SELECT * FROM events e WHERE e.stream_id = s.stream_id "
    "AND e.stream_version <= $2 AND e.stream_version >= f.first "
    "ORDER BY e.stream_version DESC LIMIT $3) e ON f.first IS NOT NULL "
    "WHERE s.stream_id = $1 AND ($4 = '' OR s.owner = $4) "
    "ORDER BY e.stream_version DESC"};

#undef ES_STREAM_AND_FIRST

// $1 after, $2 scan, $3 max_count, $4 stream prefix ('' = all), $5 false when no stream can
// match (a prefix with a NUL byte, which no stream id holds and text cannot carry). Removed
// events are gone from the table, but for those retention expired and the sweep has not deleted
// yet, which the filter skips (the index streams_with_retention makes it one probe of the
// streams with a retention per event).
inline constexpr Statement kReadAll{"read_all",
    "SELECT h.position, " ES_EVENT_COLUMNS " FROM head h LEFT JOIN LATERAL ("
    "SELECT * FROM events e WHERE e.global_position > $1 "
    "AND e.global_position <= least($1 + $2, h.position) "
    "AND $5 AND ($4 = '' OR starts_with(e.stream_id, $4)) "
    "AND NOT EXISTS (SELECT 1 FROM streams s WHERE s.stream_id = e.stream_id "
    "AND (s.max_count > 0 OR s.max_age_us > 0) AND " ES_EXPIRED ") "
    "ORDER BY e.global_position LIMIT $3) e ON true ORDER BY e.global_position"};

#undef ES_EVENT_COLUMNS

// ---- the stream lifecycle (lifecycle.hpp) --------------------------------------------------
// Locks a stream's row for a change, creating it at version 0 without an owner when missing (the
// caller rolls that back unless the change keeps it), and reads its state.
//   $1 stream_id
// One row: current_version, truncate_before, tombstoned, max_count, max_age_us, owner.
inline constexpr Statement kLockForChange{"lock_for_change", R"(
INSERT INTO streams AS s (stream_id, current_version) VALUES ($1, 0)
ON CONFLICT (stream_id) DO UPDATE SET current_version = s.current_version
RETURNING s.current_version, s.truncate_before, s.tombstoned, s.max_count, s.max_age_us, s.owner)"};

// Writes a locked stream's new state and deletes the rows it no longer keeps: those below
// truncate_before and those its retention removes. Needs eventstore.removing set (migration 0004).
//   $1 stream_id, $2 truncate_before, $3 tombstoned, $4 max_count, $5 max_age_us (bigint, bool)
inline constexpr Statement kChangeStream{"change_stream", R"(
WITH changed AS (
    UPDATE streams SET truncate_before = $2, tombstoned = $3, max_count = $4, max_age_us = $5
    WHERE stream_id = $1 RETURNING stream_id, current_version, truncate_before, max_count, max_age_us)
DELETE FROM events e USING changed s
WHERE e.stream_id = s.stream_id AND (e.stream_version < s.truncate_before OR )" ES_EXPIRED R"())"};

// A stream's state: current_version, truncate_before, tombstoned, max_count, max_age_us, owner.
//   $1 stream_id
inline constexpr Statement kStreamState{"stream_state", R"(
SELECT current_version, truncate_before, tombstoned, max_count, max_age_us, owner
FROM streams WHERE stream_id = $1)"};

// The background sweep: deletes up to $1 events that their stream's retention removes (the sweep
// runs it until a batch comes back short, each batch its own transaction, so no statement nor lock
// lasts long). It locks the streams with a retention in the appends' order (so a concurrent
// SET_RETENTION is either before it or after it, never half seen), then deletes. Needs
// eventstore.removing set.
inline constexpr Statement kSweep{"sweep", R"(
WITH s AS (
    SELECT stream_id, current_version, max_count, max_age_us FROM streams
    WHERE max_count > 0 OR max_age_us > 0 ORDER BY stream_id COLLATE "C" FOR UPDATE),
doomed AS (
    SELECT e.global_position FROM events e JOIN s ON e.stream_id = s.stream_id
    WHERE )" ES_EXPIRED R"( LIMIT $1)
DELETE FROM events WHERE global_position IN (SELECT global_position FROM doomed))"};

#undef ES_EXPIRED

// ---- the commit listener (commit_listener.hpp) ---------------------------------------------
inline constexpr Statement kReadHead{"read_head", "SELECT position FROM head"};

// Every statement above, for Session to prepare.
inline constexpr Statement kAll[] = {kAppendGroup,       kLockStreams,      kFindIds,
                                     kWriteEvents,       kReadStreamForward, kReadStreamBackward,
                                     kReadAll,           kLockForChange,    kChangeStream,
                                     kStreamState,       kSweep,            kReadHead};

}  // namespace eventstore::postgres::sql

#endif
