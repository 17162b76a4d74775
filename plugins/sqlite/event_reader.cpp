#include "event_reader.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "eventstore/append_rules.hpp"
#include "eventstore/page_rules.hpp"
#include "page_iterator.hpp"

namespace eventstore::sqlite {

namespace {

#define EVENT_COLUMNS                                                                           \
    "global_position, stream_version, recorded_at_us, stream_id, event_id, type_name, "          \
    "content_type, tenant_id, correlation_id, causation_id, headers, payload"

constexpr const char* kStreamForward =
    "SELECT " EVENT_COLUMNS " FROM events WHERE stream_id = ?1 AND stream_version >= ?2 "
    "ORDER BY stream_version LIMIT ?3";
constexpr const char* kStreamBackward =
    "SELECT " EVENT_COLUMNS " FROM events WHERE stream_id = ?1 AND stream_version <= ?2 "
    "ORDER BY stream_version DESC LIMIT ?3";
constexpr const char* kStream = "SELECT current_version, owner FROM streams WHERE stream_id = ?1";
constexpr const char* kHead = "SELECT coalesce(max(global_position), 0) FROM events";
constexpr const char* kAll =
    "SELECT " EVENT_COLUMNS " FROM events WHERE global_position > ?1 AND global_position <= ?2 "
    "AND (?3 = 0 OR substr(stream_id, 1, ?3) = ?4) ORDER BY global_position LIMIT ?5";

#undef EVENT_COLUMNS

// Positions and versions beyond this are "beyond everything"; it keeps sums inside int64.
constexpr uint64_t kFar = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / 4;

int64_t bounded(uint64_t value) { return static_cast<int64_t>(std::min(value, kFar)); }

// A read transaction: one snapshot for every statement until it ends.
class Snapshot {
public:
    explicit Snapshot(Connection& connection) : connection_(connection) {
        connection_.exec("BEGIN");
    }
    ~Snapshot() { sqlite3_exec(connection_.handle(), "COMMIT", nullptr, nullptr, nullptr); }

private:
    Connection& connection_;
};

std::vector<ReadEvent> collect(Query& query) {
    std::vector<ReadEvent> events;
    while (query.step()) {
        ReadEvent& event = events.emplace_back();
        event.global_position = static_cast<uint64_t>(query.integer(0));
        event.stream_version = static_cast<uint64_t>(query.integer(1));
        event.recorded_at_us = query.integer(2);
        for (size_t field = 0; field < ReadEvent::kFields; ++field) {
            const std::string_view bytes = query.bytes(static_cast<int>(field) + 3);
            event.fields[field] = {event.bytes.size(), bytes.size()};
            event.bytes.append(bytes);
        }
    }
    return events;
}

// The number in the first column of the query's first row; 0 when there is no row.
uint64_t single_number(Query& query) {
    return query.step() ? static_cast<uint64_t>(query.integer(0)) : 0;
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
    if (current == 0) return plugin::stream_not_found(stream_id);
    Query query(connection, request.forward ? kStreamForward : kStreamBackward);
    query.bind(1, stream_id).bind(2, bounded(bound)).bind(3, int64_t{request.max_count});
    std::vector<ReadEvent> events = collect(query);
    const es_page_info page = plugin::stream_page(request, current, events.size());
    return std::make_unique<PageIterator>(std::move(events), page);
}

Result<std::unique_ptr<plugin::Iterator>> read_all(Connection& connection,
                                                   const es_read_all_request& request) {
    const uint64_t after = std::min(request.after_position, kFar);
    const uint64_t scan = std::min(plugin::scan_limit(request), kFar);
    const std::string_view prefix = abi::view(request.stream_prefix);
    Snapshot snapshot(connection);
    Query head_query(connection, kHead);
    const uint64_t head = single_number(head_query);
    Query query(connection, kAll);
    query.bind(1, bounded(after))
        .bind(2, bounded(after + scan))
        .bind(3, static_cast<int64_t>(prefix.size()))
        .bind(4, prefix)
        .bind(5, int64_t{request.max_count});
    std::vector<ReadEvent> events = collect(query);
    const uint64_t last = events.empty() ? 0 : events.back().global_position;
    const es_page_info page =
        plugin::all_page(request.after_position, scan, head, events.size(), request.max_count, last);
    return std::make_unique<PageIterator>(std::move(events), page);
}

}  // namespace eventstore::sqlite
