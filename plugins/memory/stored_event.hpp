// stored_event.hpp: one event as the memory backend keeps it.
//
// A StoredEvent owns a copy of every byte of the event and a ready-made es_recorded_event whose
// pointers (fields, headers array) point into that copy, so a read hands it out without copying.
// The pointers target heap buffers owned by std::vector members, which travel with a move: moving
// a StoredEvent keeps them valid, copying would not (so copying is deleted).
//
// Lifecycle: constructed from an append's es_event_data (no lock needed), then place()d once by
// the store under its exclusive lock, then published and never changed again. Const methods are
// safe from any number of threads once the event is published.
#ifndef EVENTSTORE_PLUGINS_MEMORY_STORED_EVENT_HPP
#define EVENTSTORE_PLUGINS_MEMORY_STORED_EVENT_HPP

#include <cstdint>
#include <string_view>
#include <vector>

#include "eventstore/plugin.h"

namespace eventstore::memory {

class StoredEvent {
public:
    // Copies every byte `data` borrows.
    explicit StoredEvent(const es_event_data& data);
    StoredEvent(StoredEvent&&) = default;
    StoredEvent(const StoredEvent&) = delete;
    StoredEvent& operator=(const StoredEvent&) = delete;
    StoredEvent& operator=(StoredEvent&&) = delete;

    // Gives the event its place in the store. `stream_id` must outlive the event.
    void place(std::string_view stream_id, uint64_t stream_version, uint64_t global_position,
               int64_t recorded_at_us);

    std::string_view event_id() const;
    std::string_view stream_id() const;
    uint64_t stream_version() const { return record_.stream_version; }
    uint64_t global_position() const { return record_.global_position; }

    // Every field filled; valid as long as this event.
    const es_recorded_event& record() const { return record_; }

private:
    es_bytes keep(es_bytes bytes);

    std::vector<uint8_t> bytes_;          // every field and header, back to back
    std::vector<es_key_value> headers_;   // points into bytes_
    es_recorded_event record_;            // points into bytes_ and headers_
};

}  // namespace eventstore::memory

#endif
