// shared_event.hpp: an event of the global log as subscriptions hand it on: serialized once (a
// RecordedEvent's protobuf bytes), shared by every subscriber that may see it, and kept alive by
// whoever still holds it (a subscriber's buffer, a gRPC message in flight, the tail's ring).
// Immutable once made, so any thread may read it. Pages of them are what catch-up reads and the
// tail read.
#ifndef EVENTSTORE_SERVER_SHARED_EVENT_HPP
#define EVENTSTORE_SERVER_SHARED_EVENT_HPP

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "eventstore/loader/store.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"
#include "security/auth.hpp"

namespace eventstore::server {

struct SharedEvent {
    uint64_t position = 0;
    std::string stream_id;  // for the subscribers' filters
    std::string tenant_id;
    std::string type;   // for filters on the event type
    std::string bytes;  // the serialized v1::RecordedEvent

    // True when a subscriber with this prefix and caller receives the event.
    bool visible_to(const std::string& prefix, const Caller& caller) const;
};

using SharedEventPtr = std::shared_ptr<const SharedEvent>;

// Copies one event out of the backend's memory and serializes it.
SharedEventPtr share(const es_recorded_event& event);

// One read_all page: every position in (after, scanned_to] was looked at, and `events` are the
// ones it returned, in order.
struct Page {
    uint64_t after = 0;
    uint64_t scanned_to = 0;
    std::vector<SharedEventPtr> events;
    uint64_t head = 0;  // the committed head the reader knew of (0: none announced)
    // The backend said it reached the head, or the page moved nothing (taken as the head, so a
    // backend that cannot say never makes a reader go round in circles).
    bool at_head = false;
};

// Reads one page with `read` (built by rpc/translate.hpp's read_all_request), sharing each event
// that `caller` may see; `head` is the notifier's. A failure is the backend's.
Result<Page> read_page(loader::Store& store, const es_read_all_request& read, const Caller& caller,
                       uint64_t head);

}  // namespace eventstore::server

#endif
