#include "event_reader.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include <pqxx/nontransaction>

#include "event_columns.hpp"
#include "eventstore/append_rules.hpp"
#include "eventstore/page_rules.hpp"
#include "row_iterator.hpp"
#include "statements.hpp"

namespace eventstore::postgres {

using plugin::all_page;
using plugin::stream_page;

namespace {

constexpr uint64_t kMaxBigint = std::numeric_limits<int64_t>::max();
// Positions and versions beyond this are treated as "beyond everything"; it keeps the sums in
// the statements inside bigint.
constexpr uint64_t kFar = kMaxBigint / 4;
// The read_stream statements' column after the event columns: the first readable version.
constexpr int kFirstReadableColumn = 13;

int64_t bigint(uint64_t value) { return static_cast<int64_t>(std::min(value, kFar)); }

uint64_t event_rows(const pqxx::result& rows) {
    return rows.size() == 1 && rows[0][1].is_null() ? 0 : rows.size();
}

}  // namespace

Result<std::unique_ptr<plugin::Iterator>> read_stream(pqxx::connection& connection,
                                                      const es_read_stream_request& request) {
    const std::string stream_id(abi::view(request.stream_id));
    const uint64_t bound = request.forward ? std::max<uint64_t>(request.from_version, 1)
                           : request.from_version == 0 ? kFar
                                                       : request.from_version;
    // No stream's owner holds a NUL byte (text cannot), so such an owner_tenant owns nothing.
    if (has_nul(request.owner_tenant)) return plugin::stream_not_found(stream_id);
    pqxx::nontransaction tx(connection);
    const sql::Statement& statement =
        request.forward ? sql::kReadStreamForward : sql::kReadStreamBackward;
    pqxx::result rows =
        tx.exec_prepared(statement.name, stream_id, bigint(bound), int64_t{request.max_count},
                         std::string(abi::view(request.owner_tenant)));
    // No row: no stream, or one of another owner (plugin.h "Stream owners"), answered alike; 0:
    // no readable event (statements.hpp, ES_STREAM_AND_FIRST).
    const uint64_t current = rows.empty() ? 0 : rows[0][0].as<uint64_t>();
    if (current == 0) return plugin::stream_not_found(stream_id);
    // The readable versions are first..current: a read forward from below `first` reads as one
    // from `first`, and a read backward that passes `first` has reached the start.
    const uint64_t first = rows[0][kFirstReadableColumn].as<uint64_t>();
    es_read_stream_request from_readable = request;
    if (request.forward && first > bound) from_readable.from_version = first;
    es_page_info page = stream_page(from_readable, current, event_rows(rows));
    if (!request.forward && page.next_from_version < first) page.end_of_stream = true;
    return std::make_unique<RowIterator>(std::move(rows), page);
}

Result<std::unique_ptr<plugin::Iterator>> read_all(pqxx::connection& connection,
                                                   const es_read_all_request& request) {
    const uint64_t after = std::min(request.after_position, kFar);
    const uint64_t scan = std::min(plugin::scan_limit(request), kFar);
    const std::string prefix(abi::view(request.stream_prefix));
    const bool can_match = prefix.find('\0') == std::string::npos;
    pqxx::nontransaction tx(connection);
    pqxx::result rows = tx.exec_prepared(sql::kReadAll.name, bigint(after), bigint(scan),
                                       int64_t{request.max_count},
                                       can_match ? prefix : std::string(), can_match);
    const uint64_t head = rows[0][0].as<uint64_t>();
    const uint64_t count = event_rows(rows);
    const uint64_t last = count == 0 ? 0 : rows[rows.size() - 1][1].as<uint64_t>();
    const es_page_info page =
        all_page(request.after_position, scan, head, count, request.max_count, last);
    return std::make_unique<RowIterator>(std::move(rows), page);
}

}  // namespace eventstore::postgres
