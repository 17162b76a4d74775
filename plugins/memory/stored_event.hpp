// stored_event.hpp: one event as the memory backend keeps it, and the block that holds the bytes
// of an append's events.
//
// An append's events are copied into one EventBlock: a single allocation with every event's
// header array and every byte of every field, back to back, so storing an event costs no
// allocation of its own (and no allocator overhead per field). The store shares each block
// (share()) with the reads that hand out its events, and drops its share when the last of the
// block's events is removed (plugin.h "Stream lifecycle"): the memory is zeroed and freed when the
// last share goes. Blocks never move, so pointers into them stay valid while shared.
//
// A StoredEvent is a ready-made es_recorded_event whose pointers (fields, headers array) target
// its append's block; a read copies the record (not the bytes) and shares the block.
//
// Lifecycle: constructed from an append's es_event_data into the append's block (no lock
// needed), then place()d once by the store under its exclusive lock, then published; the store
// changes it again only under its exclusive lock, to remove() or move_to() it. Const methods are safe from any
// number of threads while no exclusive lock is held.
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
    // Hands the memory over to shared keepers (the store, and the reads of its events); the last
    // one to let go zeroes it (the bytes of removed events leave the process) and frees it.
    std::shared_ptr<const uint8_t> share();

private:
    es_bytes keep(es_bytes bytes);

    std::unique_ptr<uint8_t[]> memory_;
    size_t size_;
    es_key_value* next_header_;  // the header arrays come first (aligned), then the bytes
    uint8_t* next_byte_;
};

class StoredEvent {
public:
    // Copies every byte `data` borrows into `block`.
    StoredEvent(const es_event_data& data, EventBlock& block);

    // Gives the event its place in the store. `stream_id` must outlive the event; `block` is the
    // store's index of the block holding its bytes.
    void place(std::string_view stream_id, uint64_t stream_version, uint64_t global_position,
               int64_t recorded_at_us, size_t block);
    // Marks the event removed (plugin.h "Stream lifecycle"): its record is cleared, its position
    // stays taken.
    void remove();
    // Copies the event's bytes into `block` (sized for it, see data()), which then holds them
    // for it instead of its append's block; `index` is the store's index of that block.
    void move_to(EventBlock& block, size_t index);
    // The event as an append sends it, pointing at its bytes.
    es_event_data data() const;
    bool removed() const { return record_.stream_version == 0; }

    std::string_view event_id() const;
    std::string_view stream_id() const;
    uint64_t stream_version() const { return record_.stream_version; }
    uint64_t global_position() const { return record_.global_position; }
    int64_t recorded_at_us() const { return record_.recorded_at_us; }
    size_t block() const { return block_; }
    // The bytes the event counts against options.max_bytes: its fields and its stream id.
    uint64_t size() const;

    // Every field filled; valid as long as this event's block.
    const es_recorded_event& record() const { return record_; }

private:
    es_recorded_event record_;
    size_t block_ = 0;
};

}  // namespace eventstore::memory

#endif
