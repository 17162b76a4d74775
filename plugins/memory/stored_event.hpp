// stored_event.hpp: one event as the memory backend keeps it, and the block that holds the bytes
// of an append's events.
//
// An append's events are copied into one EventBlock: a single allocation with every event's
// header array and every byte of every field, back to back, so storing an event costs no
// allocation of its own (and no allocator overhead per field). The store keeps each block for
// its lifetime; blocks never move, so pointers into them stay valid.
//
// A StoredEvent is a ready-made es_recorded_event whose pointers (fields, headers array) target
// its append's block, so a read hands it out without copying.
//
// Lifecycle: constructed from an append's es_event_data into the append's block (no lock
// needed), then place()d once by the store under its exclusive lock, then published and never
// changed again. Const methods are safe from any number of threads once the event is published.
#ifndef EVENTSTORE_PLUGINS_MEMORY_STORED_EVENT_HPP
#define EVENTSTORE_PLUGINS_MEMORY_STORED_EVENT_HPP

#include <cstdint>
#include <memory>
#include <string_view>

#include "eventstore/plugin.h"

namespace eventstore::memory {

// The memory of one append's events. Sized for a request at construction; copy() then fills it
// event by event. Not thread-safe.
class EventBlock {
public:
    explicit EventBlock(const es_append_request& request);

    // Copies every byte `data` borrows into the block (which must have room: `data` is an event
    // of the request it was sized for) and returns the record pointing at the copy.
    es_recorded_event copy(const es_event_data& data);
    // Hands the memory over to its keeper (the store), which keeps it as long as the events.
    std::unique_ptr<uint8_t[]> release() { return std::move(memory_); }

private:
    es_bytes keep(es_bytes bytes);

    std::unique_ptr<uint8_t[]> memory_;
    es_key_value* next_header_;  // the header arrays come first (aligned), then the bytes
    uint8_t* next_byte_;
};

class StoredEvent {
public:
    // Copies every byte `data` borrows into `block`.
    StoredEvent(const es_event_data& data, EventBlock& block);

    // Gives the event its place in the store. `stream_id` must outlive the event.
    void place(std::string_view stream_id, uint64_t stream_version, uint64_t global_position,
               int64_t recorded_at_us);

    std::string_view event_id() const;
    std::string_view stream_id() const;
    uint64_t stream_version() const { return record_.stream_version; }
    uint64_t global_position() const { return record_.global_position; }

    // Every field filled; valid as long as this event's block.
    const es_recorded_event& record() const { return record_; }

private:
    es_recorded_event record_;
};

}  // namespace eventstore::memory

#endif
