#include "page_iterator.hpp"

#include <utility>

namespace eventstore::memory {

PageIterator::PageIterator(std::vector<const StoredEvent*> events, es_page_info page)
    : events_(std::move(events)), page_(page) {}

Status PageIterator::next(es_recorded_event& event, bool& has_event) {
    has_event = next_ < events_.size();
    if (has_event) event = events_[next_++]->record();
    return {};
}

}  // namespace eventstore::memory
