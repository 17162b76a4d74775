// page_iterator.hpp: the iterator of every sqlite read. The read copies its whole page (at most
// max_count events) out of the database inside one read transaction, then hands it over here, so
// next() needs no connection and the iterator may outlive the store.
//
// Thread safety: one thread at a time, as every es_iterator.
#ifndef EVENTSTORE_PLUGINS_SQLITE_PAGE_ITERATOR_HPP
#define EVENTSTORE_PLUGINS_SQLITE_PAGE_ITERATOR_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "eventstore/plugin.hpp"

namespace eventstore::sqlite {

// The events of one read: their numbers, and every field of every event back to back in `bytes`
// (one buffer for the page, not one per event: a page of 100 events costs a handful of
// allocations instead of hundreds).
struct ReadPage {
    // stream_id, event_id, type_name, content_type, tenant_id, correlation_id, causation_id,
    // headers (encoded), payload
    static constexpr size_t kFields = 9;
    // Where a field starts in `bytes` and how long it is.
    struct Span {
        size_t at = 0;
        size_t len = 0;
    };
    struct Event {
        uint64_t global_position = 0;
        uint64_t stream_version = 0;
        int64_t recorded_at_us = 0;
        Span fields[kFields];
    };
    std::vector<Event> events;
    std::string bytes;
};

class PageIterator final : public plugin::Iterator {
public:
    PageIterator(ReadPage events, es_page_info page);

    Status next(es_recorded_event& event, bool& has_event) override;
    es_page_info page() const override { return page_; }

private:
    const ReadPage events_;
    const es_page_info page_;
    size_t next_ = 0;
    std::vector<es_key_value> headers_;  // of the event next() filled last
};

}  // namespace eventstore::sqlite

#endif
