// event_columns.hpp: the events of one or more appends, laid out column by column as the
// parameters of the statements that write them (statements.hpp, kAppendGroup and kWriteEvents):
// one SQL array literal per text or number column, and every payload and header encoding back to
// back in one bytea with their offsets and lengths (bytea travels in binary, with no escaping and
// no limit on zero bytes).
#ifndef EVENTSTORE_PLUGINS_POSTGRES_EVENT_COLUMNS_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_EVENT_COLUMNS_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::postgres {

// Whether `bytes` holds a NUL byte, which PostgreSQL text cannot.
bool has_nul(es_bytes bytes);

// PostgreSQL text cannot hold a NUL byte: INVALID_ARGUMENT naming the first field of `request`
// stored or compared as text that has one (headers and payload are bytea and may hold anything).
Status check_storable(const es_append_request& request);

// A growing SQL array literal ({"a","b"} or {1,2}).
class ArrayLiteral {
public:
    void add_text(std::string_view text);
    void add_number(int64_t number);
    std::string text() const { return body_ + "}"; }

private:
    std::string body_ = "{";
};

class EventColumns {
public:
    // Adds the events of `request` as versions first_version, first_version + 1, ... of its
    // stream. check_storable(request) must have passed.
    void add(const es_append_request& request, uint64_t first_version);

    size_t event_count() const { return count_; }

    ArrayLiteral stream_ids, stream_versions, event_ids, type_names, content_types, tenant_ids,
        correlation_ids, causation_ids;
    // 1-based offsets into `blob`, as PostgreSQL's substring() counts.
    ArrayLiteral payload_at, payload_length, headers_at, headers_length;
    std::string blob;

private:
    size_t count_ = 0;
};

}  // namespace eventstore::postgres

#endif
