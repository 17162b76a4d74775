// page_iterator.hpp: the iterator of every memory-backend read.
//
// The store picks a whole page of events (at most max_count) while it holds its lock shared and
// hands it over here: a copy of each event's record (the store may remove its own copy once the
// lock is gone, plugin.h "Stream lifecycle") and a share of each block holding their bytes (so
// that a removal frees them only after this page is gone). next() walks the page without any
// lock.
//
// Thread safety: one thread at a time, as every es_iterator.
#ifndef EVENTSTORE_PLUGINS_MEMORY_PAGE_ITERATOR_HPP
#define EVENTSTORE_PLUGINS_MEMORY_PAGE_ITERATOR_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "eventstore/plugin.hpp"
#include "stored_event.hpp"

namespace eventstore::memory {

// The events of one read, as the store picks them.
struct Page {
    std::vector<es_recorded_event> events;
    std::vector<std::shared_ptr<const uint8_t>> blocks;  // each block once per run of its events

    void add(const StoredEvent& event, const std::shared_ptr<const uint8_t>& block) {
        events.push_back(event.record());
        if (blocks.empty() || blocks.back() != block) blocks.push_back(block);
    }
};

class PageIterator final : public plugin::Iterator {
public:
    PageIterator(Page events, es_page_info page);

    Status next(es_recorded_event& event, bool& has_event) override;
    es_page_info page() const override { return page_; }

private:
    const Page events_;
    const es_page_info page_;
    size_t next_ = 0;
};

}  // namespace eventstore::memory

#endif
