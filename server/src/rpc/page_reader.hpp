// page_reader.hpp: drains a backend iterator into a caller, so ReadStream, ReadAll and Subscribe
// share one loop. The caller may stop early (a response grew past its byte budget, a subscriber
// went away); the result then says where it stopped, so the page can still be resumed exactly.
#ifndef EVENTSTORE_SERVER_PAGE_READER_HPP
#define EVENTSTORE_SERVER_PAGE_READER_HPP

#include <functional>

#include "eventstore/loader/store.hpp"
#include "eventstore/status.hpp"

namespace eventstore::server {

// Responses stop growing once they pass this many bytes (always holding at least one event).
inline constexpr size_t kResponseByteBudget = 4u * 1024 * 1024;

struct DrainedPage {
    bool stopped_early = false;  // `take` returned false: `page` is not set
    uint64_t last_version = 0;   // of the last event taken
    uint64_t last_position = 0;
    es_page_info page{};         // the backend's summary, when the iterator was drained
};

// Calls `take` for every event of `iterator` until the end, or until `take` returns false (after
// taking that event).
Result<DrainedPage> drain(loader::Iterator& iterator,
                          const std::function<bool(const es_recorded_event&)>& take);

}  // namespace eventstore::server

#endif
