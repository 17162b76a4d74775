#include "appender.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_rules.hpp"
#include "eventstore/header_codec.hpp"
#include "lifecycle.hpp"

namespace eventstore::sqlite {

namespace {

constexpr const char* kFindId =
    "SELECT stream_id, stream_version, global_position FROM events WHERE event_id = ?1";
constexpr const char* kStream =
    "SELECT current_version, owner, tombstoned FROM streams WHERE stream_id = ?1";
constexpr const char* kInsertEvent =
    "INSERT INTO events (global_position, stream_id, stream_version, event_id, type_name, "
    "content_type, tenant_id, correlation_id, causation_id, headers, payload, recorded_at_us) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
// A new stream gets its owner (?3); an existing one keeps its own.
constexpr const char* kSetVersion =
    "INSERT INTO streams (stream_id, current_version, owner) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (stream_id) DO UPDATE SET current_version = excluded.current_version";

// A stream's row: its current version (0: no event yet), its owner (when it has events) and
// whether it is tombstoned.
struct StreamRow {
    uint64_t version = 0;
    std::string owner;
    bool tombstoned = false;
};

std::vector<plugin::StoredId> find_ids(Connection& connection, const es_append_request& request) {
    std::vector<plugin::StoredId> stored;
    for (size_t i = 0; i < request.event_count; ++i) {
        const std::string_view event_id = abi::view(request.events[i]->event_id);
        Query query(connection, kFindId);
        if (!query.bind(1, event_id).step()) continue;
        stored.push_back({std::string(event_id), std::string(query.bytes(0)),
                          static_cast<uint64_t>(query.integer(1)),
                          static_cast<uint64_t>(query.integer(2))});
    }
    return stored;
}

// The stored events that carry the request's ids. A removed event's id is free again (plugin.h
// "Stream lifecycle"): the events past their stream's retention that the sweep has not removed yet
// are removed first, when an id is found among them.
std::vector<plugin::StoredId> stored_ids(Connection& connection, const es_append_request& request,
                                         int64_t now_us) {
    std::vector<plugin::StoredId> stored = find_ids(connection, request);
    bool swept = false;
    for (const plugin::StoredId& id : stored) swept |= sweep_stream(connection, id.stream_id, now_us);
    return swept ? find_ids(connection, request) : stored;
}

StreamRow stream_row(Connection& connection, std::string_view stream_id) {
    Query query(connection, kStream);
    if (!query.bind(1, stream_id).step()) return {};
    return {static_cast<uint64_t>(query.integer(0)), std::string(query.bytes(1)),
            query.integer(2) != 0};
}

void insert_event(Connection& connection, const es_event_data& event, std::string_view stream_id,
                  uint64_t version, uint64_t position, int64_t recorded_at_us,
                  std::string& headers) {
    headers.clear();
    plugin::encode_headers(event.headers, event.header_count, headers);
    Query query(connection, kInsertEvent);
    query.bind(1, static_cast<int64_t>(position))
        .bind(2, stream_id)
        .bind(3, static_cast<int64_t>(version))
        .bind(4, abi::view(event.event_id))
        .bind(5, abi::view(event.type_name))
        .bind(6, abi::view(event.content_type))
        .bind(7, abi::view(event.tenant_id))
        .bind(8, abi::view(event.correlation_id))
        .bind(9, abi::view(event.causation_id))
        .bind(10, headers)
        .bind(11, abi::view(event.payload))
        .bind(12, recorded_at_us)
        .run();
}

}  // namespace

bool is_taken_id(const SqliteError& error) {
    return error.code() == SQLITE_CONSTRAINT_UNIQUE;
}

Status append_in_transaction(Connection& connection, const es_append_request& request,
                             es_append_result& result, uint64_t& head, int64_t recorded_at_us,
                             IdCheck id_check) {
    const std::string_view stream_id = abi::view(request.stream_id);
    const StreamRow stream = stream_row(connection, stream_id);
    // The owner first, before anything that would tell more about the stream (plugin.h).
    if (stream.version > 0 && plugin::owned_by_another(request, stream.owner)) {
        return plugin::not_the_owner(stream_id);
    }
    if (stream.tombstoned) {
        result.actual_version = stream.version;
        result.tombstoned = true;
        return plugin::stream_tombstoned(stream_id);
    }
    const uint64_t current = stream.version;
    const bool matches = plugin::expected_matches(request, current);
    if (id_check == IdCheck::looked_up || !matches) {
        const Result<bool> retry =
            plugin::judge_retry(request, stored_ids(connection, request, recorded_at_us), result);
        if (!retry.ok()) return retry.status();
        if (retry.value()) return {};
        if (!matches) return plugin::wrong_expected_version(request, current, result);
    }
    std::string headers;
    for (size_t i = 0; i < request.event_count; ++i) {
        insert_event(connection, *request.events[i], stream_id, current + i + 1, head + i + 1,
                     recorded_at_us, headers);
    }
    const uint64_t version = current + request.event_count;
    // A new stream's owner: the tenant of its first event (plugin.h "Stream owners"); requests
    // reaching a store carry events.
    Query(connection, kSetVersion)
        .bind(1, stream_id)
        .bind(2, static_cast<int64_t>(version))
        .bind(3, abi::view(request.events[0]->tenant_id))
        .run();
    result.current_version = version;
    result.first_global_position = head + 1;
    result.last_global_position = head + request.event_count;
    head += request.event_count;
    return {};
}

}  // namespace eventstore::sqlite
