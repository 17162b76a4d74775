// row_iterator.hpp: the iterator of every postgres read. The read's whole page arrives as one
// pqxx::result (at most max_count rows); next() turns one row at a time into an
// es_recorded_event whose text fields point into the result and whose payload and headers are
// decoded into buffers this iterator owns, valid until the next call.
//
// Row layout (statements.hpp, the read statements): column 0 belongs to the query (head or current
// version), then global_position, stream_id, stream_version, recorded_at_us, event_id,
// type_name, content_type, tenant_id, correlation_id, causation_id, headers, payload. A row
// whose global_position is NULL holds no event (the outer row of an empty page) and is skipped.
//
// Thread safety: one thread at a time. Needs no connection: it outlives the store's pool.
#ifndef EVENTSTORE_PLUGINS_POSTGRES_ROW_ITERATOR_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_ROW_ITERATOR_HPP

#include <optional>
#include <vector>

#include <pqxx/binarystring>
#include <pqxx/result>

#include "eventstore/plugin.hpp"

namespace eventstore::postgres {

class RowIterator final : public plugin::Iterator {
public:
    RowIterator(pqxx::result rows, es_page_info page);

    Status next(es_recorded_event& event, bool& has_event) override;
    es_page_info page() const override { return page_; }

private:
    const pqxx::result rows_;
    const es_page_info page_;
    pqxx::result::size_type next_ = 0;
    std::optional<pqxx::binarystring> payload_;
    std::optional<pqxx::binarystring> headers_;
    std::vector<es_key_value> header_list_;
};

}  // namespace eventstore::postgres

#endif
