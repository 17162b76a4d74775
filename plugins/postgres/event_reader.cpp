#include "event_reader.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include <pqxx/nontransaction>

#include "row_iterator.hpp"
#include "statements.hpp"

namespace eventstore::postgres {

namespace {

constexpr uint64_t kMaxBigint = std::numeric_limits<int64_t>::max();
// Positions and versions beyond this are treated as "beyond everything"; it keeps the sums in
// the statements inside bigint.
constexpr uint64_t kFar = kMaxBigint / 4;


int64_t bigint(uint64_t value) { return static_cast<int64_t>(std::min(value, kFar)); }

uint64_t event_rows(const pqxx::result& rows) {
    return rows.size() == 1 && rows[0][1].is_null() ? 0 : rows.size();
}

}  // namespace

es_page_info stream_page(const es_read_stream_request& request, uint64_t current, uint64_t count) {
    es_page_info page = abi::make_struct<es_page_info>();
    if (request.forward) {
        const uint64_t first = std::max<uint64_t>(request.from_version, 1);
        const uint64_t skip = std::min(first - 1, current);
        page.next_from_version = count == 0 ? request.from_version : skip + count + 1;
        page.end_of_stream = skip + count == current;
    } else {
        const uint64_t last = request.from_version == 0 || request.from_version > current
                                  ? current
                                  : request.from_version;
        // 0 once version 1 is returned: end_of_stream tells the caller not to ask again.
        page.next_from_version = last - count;
        page.end_of_stream = last == count;
    }
    return page;
}

es_page_info all_page(uint64_t after, uint64_t scan, uint64_t head, uint64_t count,
                      uint32_t max_count, uint64_t last_position) {
    es_page_info page = abi::make_struct<es_page_info>();
    const uint64_t scan_end = after >= head ? after : after + std::min(scan, head - after);
    page.last_scanned_position = count == max_count ? last_position : scan_end;
    page.reached_head = page.last_scanned_position >= head;
    return page;
}

Result<std::unique_ptr<plugin::Iterator>> read_stream(pqxx::connection& connection,
                                                      const es_read_stream_request& request) {
    const std::string stream_id(abi::view(request.stream_id));
    const uint64_t bound = request.forward ? std::max<uint64_t>(request.from_version, 1)
                           : request.from_version == 0 ? kFar
                                                       : request.from_version;
    pqxx::nontransaction tx(connection);
    const sql::Statement& statement =
        request.forward ? sql::kReadStreamForward : sql::kReadStreamBackward;
    pqxx::result rows = tx.exec_prepared(statement.name,
                                       stream_id, bigint(bound), int64_t{request.max_count});
    const uint64_t current = rows.empty() ? 0 : rows[0][0].as<uint64_t>();
    if (current == 0) return Status(Code::not_found, "stream '" + stream_id + "' not found");
    const es_page_info page = stream_page(request, current, event_rows(rows));
    return std::make_unique<RowIterator>(std::move(rows), page);
}

Result<std::unique_ptr<plugin::Iterator>> read_all(pqxx::connection& connection,
                                                   const es_read_all_request& request) {
    const uint64_t after = std::min(request.after_position, kFar);
    const uint64_t scan = std::min(
        request.max_scan != 0 ? request.max_scan
                              : std::max(10 * uint64_t{request.max_count}, kMinDefaultScan),
        kFar);
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
