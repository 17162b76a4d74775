// eventstore/page_rules.hpp: the paging summaries of reads (docs/contract.md "ReadStream",
// "ReadAll"), apart from how a backend finds the rows, so that every backend that reads pages with
// a query pages alike. C++17, header-only.
#ifndef EVENTSTORE_PAGE_RULES_HPP
#define EVENTSTORE_PAGE_RULES_HPP

#include <algorithm>
#include <cstdint>

#include "eventstore/abi_struct.hpp"
#include "eventstore/plugin.h"

namespace eventstore::plugin {

// A read_all without max_scan scans at most max(10 * max_count, this) positions.
inline constexpr uint64_t kMinDefaultScan = 10000;

// How many positions a read_all may scan.
inline uint64_t scan_limit(const es_read_all_request& request) {
    return request.max_scan != 0 ? request.max_scan
                                 : std::max(10 * uint64_t{request.max_count}, kMinDefaultScan);
}

// The paging summary of a read_stream that returned `count` events of a stream at `current`.
inline es_page_info stream_page(const es_read_stream_request& request, uint64_t current,
                                uint64_t count) {
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

// The paging summary of a read_all after `after` that could scan up to `scan` positions of a log
// whose head is `head`, and returned `count` events, the last at `last_position`.
inline es_page_info all_page(uint64_t after, uint64_t scan, uint64_t head, uint64_t count,
                             uint32_t max_count, uint64_t last_position) {
    es_page_info page = abi::make_struct<es_page_info>();
    const uint64_t scan_end = after >= head ? after : after + std::min(scan, head - after);
    page.last_scanned_position = count == max_count ? last_position : scan_end;
    page.reached_head = page.last_scanned_position >= head;
    return page;
}

}  // namespace eventstore::plugin

#endif
