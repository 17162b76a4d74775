#include "page_iterator.hpp"

#include <utility>

namespace eventstore::memory {

PageIterator::PageIterator(Page events, es_page_info page)
    : events_(std::move(events)), page_(page) {}

Status PageIterator::next(es_recorded_event& event, bool& has_event) {
    has_event = next_ < events_.events.size();
    if (has_event) event = events_.events[next_++];
    return {};
}

}  // namespace eventstore::memory
