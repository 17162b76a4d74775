#include "event_reader.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "eventstore/append_rules.hpp"
#include "eventstore/page_rules.hpp"
#include "lifecycle.hpp"
#include "page_iterator.hpp"

namespace eventstore::sqlite {

namespace {

#define EVENT_COLUMNS                                                                           \
    "global_position, stream_version, recorded_at_us, stream_id, event_id, type_name, "          \
    "content_type, tenant_id, correlation_id, causation_id, headers, payload"

// A stream's readable versions start at ?2 (forward) or ?4 (backward): the caller finds where.
constexpr const char* kStreamForward =
    "SELECT " EVENT_COLUMNS " FROM events WHERE stream_id = ?1 AND stream_version >= ?2 "
    "ORDER BY stream_version LIMIT ?3";
constexpr const char* kStreamBackward =
    "SELECT " EVENT_COLUMNS " FROM events WHERE stream_id = ?1 AND stream_version <= ?2 "
    "AND stream_version >= ?4 ORDER BY stream_version DESC LIMIT ?3";
constexpr const char* kStream =
    "SELECT s.current_version, s.owner, s.truncate_before, coalesce(r.max_count, 0), "
    "coalesce(r.max_age_us, 0) FROM streams s LEFT JOIN retention r ON r.stream_id = s.stream_id "
    "WHERE s.stream_id = ?1";
// The first version of the stream at or above ?2 recorded at ?3 or later (retention by age): the
// index in version order, up to the first young one (the sweep keeps the old ones few).
constexpr const char* kFirstYoung =
    "SELECT stream_version FROM events WHERE stream_id = ?1 AND stream_version >= ?2 "
    "AND recorded_at_us >= ?3 ORDER BY stream_version LIMIT 1";
// The highest position given (removed events' positions are never given again: log_head), and
// whether any stream has a retention limit.
constexpr const char* kHead =
    "SELECT max(coalesce((SELECT max(global_position) FROM events), 0), "
    "(SELECT global_position FROM log_head)), EXISTS (SELECT 1 FROM retention)";
// The events a change removed are gone; those past a retention limit that the sweep has not
// removed yet are filtered out by kAllRetained. That filter looks every event up in retention,
// so a store where no stream has a limit reads with kAll.
#define ALL_EVENTS                                                                              \
    "SELECT " EVENT_COLUMNS " FROM events e WHERE global_position > ?1 AND global_position <= ?2 " \
    "AND (?3 = 0 OR substr(stream_id, 1, ?3) = ?4)"
#define ALL_ORDER " ORDER BY global_position LIMIT ?5"
constexpr const char* kAll = ALL_EVENTS ALL_ORDER;
constexpr const char* kAllRetained =
    ALL_EVENTS " AND NOT EXISTS (SELECT 1 FROM retention r JOIN streams s ON "
    "s.stream_id = r.stream_id WHERE r.stream_id = e.stream_id AND " ES_SQLITE_EXPIRED("?6") ")"
    ALL_ORDER;
constexpr const char* kBegin = "BEGIN";
constexpr const char* kCommit = "COMMIT";

#undef ALL_ORDER
#undef ALL_EVENTS
#undef EVENT_COLUMNS

// Positions and versions beyond this are "beyond everything"; it keeps sums inside int64.
constexpr uint64_t kFar = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / 4;

int64_t bounded(uint64_t value) { return static_cast<int64_t>(std::min(value, kFar)); }

// A read transaction: one snapshot for every statement until it ends. Both statements are
// prepared once per connection (Connection::statement), not parsed at every read.
class Snapshot {
public:
    explicit Snapshot(Connection& connection) : commit_(connection.statement(kCommit)) {
        Query(connection, kBegin).run();
    }
    ~Snapshot() {
        sqlite3_step(commit_);
        sqlite3_reset(commit_);
    }

private:
    sqlite3_stmt* const commit_;
};

// Events a page makes room for before its first row; a bigger page grows as it is read.
constexpr uint32_t kReservedEvents = 1024;

ReadPage collect(Query& query, uint32_t max_count) {
    ReadPage page;
    page.events.reserve(std::min(max_count, kReservedEvents));
    while (query.step()) {
        ReadPage::Event& event = page.events.emplace_back();
        event.global_position = static_cast<uint64_t>(query.integer(0));
        event.stream_version = static_cast<uint64_t>(query.integer(1));
        event.recorded_at_us = query.integer(2);
        for (size_t field = 0; field < ReadPage::kFields; ++field) {
            const std::string_view bytes = query.bytes(static_cast<int>(field) + 3);
            event.fields[field] = {page.bytes.size(), bytes.size()};
            page.bytes.append(bytes);
        }
    }
    return page;
}

// The number in the first column of the query's first row; 0 when there is no row.
uint64_t single_number(Query& query) {
    return query.step() ? static_cast<uint64_t>(query.integer(0)) : 0;
}

// The first readable version of a stream at `current` >= 1 whose row `stream` (kStream) has
// stepped: at or above truncate_before and inside the retention limits; 0 when none is.
uint64_t first_readable(Connection& connection, const Query& stream, std::string_view stream_id) {
    es_stream_state state = abi::make_struct<es_stream_state>();
    state.last_version = static_cast<uint64_t>(stream.integer(0));
    state.truncate_before = static_cast<uint64_t>(stream.integer(2));
    state.max_count = static_cast<uint64_t>(stream.integer(3));
    state.max_age_us = static_cast<uint64_t>(stream.integer(4));
    const uint64_t first = plugin::first_kept_version(state);
    if (first > state.last_version) return 0;
    if (state.max_age_us == 0) return first;
    // recorded_at never goes back along a stream's versions: the young events are a suffix.
    Query young(connection, kFirstYoung);
    young.bind(1, stream_id)
        .bind(2, static_cast<int64_t>(first))
        .bind(3, now_us() - static_cast<int64_t>(state.max_age_us));
    return single_number(young);
}

// The paging summary of a read_stream that returned `count` events of a stream whose readable
// versions are [first, current] (plugin::stream_page, with the versions below `first` gone).
es_page_info readable_page(const es_read_stream_request& request, uint64_t first, uint64_t current,
                           uint64_t count) {
    if (request.forward) {
        es_read_stream_request from_first = request;
        from_first.from_version = std::max(request.from_version, first);
        es_page_info page = plugin::stream_page(from_first, current, count);
        if (count == 0) page.next_from_version = request.from_version;
        return page;
    }
    es_page_info page = plugin::stream_page(request, current, count);
    const uint64_t last = page.next_from_version + count;  // the version the page started at
    page.end_of_stream = page.end_of_stream || last < first + count;  // reached `first`
    return page;
}

}  // namespace

Result<std::unique_ptr<plugin::Iterator>> read_stream(Connection& connection,
                                                      const es_read_stream_request& request) {
    const std::string_view stream_id = abi::view(request.stream_id);
    const uint64_t bound = request.forward ? std::max<uint64_t>(request.from_version, 1)
                           : request.from_version == 0 ? kFar
                                                       : request.from_version;
    Snapshot snapshot(connection);
    Query stream(connection, kStream);
    // A stream of another owner (plugin.h "Stream owners") reads as a missing one, word for word.
    const bool visible =
        stream.bind(1, stream_id).step() && !plugin::owned_by_another(request, stream.bytes(1));
    const uint64_t current = visible ? static_cast<uint64_t>(stream.integer(0)) : 0;
    const uint64_t first = current == 0 ? 0 : first_readable(connection, stream, stream_id);
    // No event ever, or none readable (plugin.h "Stream lifecycle"): missing, tombstoned or not.
    if (first == 0) return plugin::stream_not_found(stream_id);
    Query query(connection, request.forward ? kStreamForward : kStreamBackward);
    query.bind(1, stream_id)
        .bind(2, bounded(request.forward ? std::max(bound, first) : bound))
        .bind(3, int64_t{request.max_count});
    if (!request.forward) query.bind(4, static_cast<int64_t>(first));
    ReadPage page = collect(query, request.max_count);
    const es_page_info info = readable_page(request, first, current, page.events.size());
    return std::make_unique<PageIterator>(std::move(page), info);
}

Result<std::unique_ptr<plugin::Iterator>> read_all(Connection& connection,
                                                   const es_read_all_request& request) {
    const uint64_t after = std::min(request.after_position, kFar);
    const uint64_t scan = std::min(plugin::scan_limit(request), kFar);
    const std::string_view prefix = abi::view(request.stream_prefix);
    Snapshot snapshot(connection);
    Query head_query(connection, kHead);
    head_query.step();
    const auto head = static_cast<uint64_t>(head_query.integer(0));
    const bool retained = head_query.integer(1) != 0;
    Query query(connection, retained ? kAllRetained : kAll);
    query.bind(1, bounded(after))
        .bind(2, bounded(after + scan))
        .bind(3, static_cast<int64_t>(prefix.size()))
        .bind(4, prefix)
        .bind(5, int64_t{request.max_count});
    if (retained) query.bind(6, now_us());
    ReadPage page = collect(query, request.max_count);
    const uint64_t last = page.events.empty() ? 0 : page.events.back().global_position;
    const es_page_info info = plugin::all_page(request.after_position, scan, head,
                                               page.events.size(), request.max_count, last);
    return std::make_unique<PageIterator>(std::move(page), info);
}

}  // namespace eventstore::sqlite
