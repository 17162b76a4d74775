// page_iterator.hpp: the iterator of every memory-backend read.
//
// The store picks a whole page of events (at most max_count pointers) while it holds its lock
// shared, then hands it over here; next() walks the page without any lock. That is safe because
// stored events are immutable once published and never move, and because the plugin helper
// (plugin.hpp) keeps the store, which owns them, alive while any of its iterators is.
//
// Thread safety: one thread at a time, as every es_iterator.
#ifndef EVENTSTORE_PLUGINS_MEMORY_PAGE_ITERATOR_HPP
#define EVENTSTORE_PLUGINS_MEMORY_PAGE_ITERATOR_HPP

#include <cstddef>
#include <vector>

#include "eventstore/plugin.hpp"
#include "stored_event.hpp"

namespace eventstore::memory {

class PageIterator final : public plugin::Iterator {
public:
    PageIterator(std::vector<const StoredEvent*> events, es_page_info page);

    Status next(es_recorded_event& event, bool& has_event) override;
    es_page_info page() const override { return page_; }

private:
    const std::vector<const StoredEvent*> events_;
    const es_page_info page_;
    size_t next_ = 0;
};

}  // namespace eventstore::memory

#endif
