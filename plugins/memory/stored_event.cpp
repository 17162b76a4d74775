#include "stored_event.hpp"

#include <cstring>
#include <string.h>  // explicit_bzero

#include "eventstore/abi_struct.hpp"
#include "eventstore/validation.hpp"

namespace eventstore::memory {

namespace {

size_t header_count(const es_append_request& request) {
    size_t count = 0;
    for (size_t i = 0; i < request.event_count; ++i) count += request.events[i]->header_count;
    return count;
}

size_t byte_count(const es_append_request& request) {
    size_t bytes = 0;
    for (size_t i = 0; i < request.event_count; ++i) {
        bytes += validation::event_size(*request.events[i]);
    }
    return bytes;
}

}  // namespace

EventBlock::EventBlock(const es_append_request& request) {
    const size_t header_bytes = header_count(request) * sizeof(es_key_value);
    size_ = header_bytes + byte_count(request);
    // new[] aligns for any type, so the header arrays at the start are aligned.
    memory_.reset(new uint8_t[size_]);
    next_header_ = reinterpret_cast<es_key_value*>(memory_.get());
    next_byte_ = memory_.get() + header_bytes;
}

std::shared_ptr<const uint8_t> EventBlock::share() {
    const size_t size = size_;
    // explicit_bzero: a memset before delete[] may be left out by the compiler.
    return std::shared_ptr<const uint8_t>(memory_.release(), [size](const uint8_t* memory) {
        explicit_bzero(const_cast<uint8_t*>(memory), size);
        delete[] memory;
    });
}

es_bytes EventBlock::keep(es_bytes bytes) {
    const es_bytes kept{next_byte_, bytes.len};
    if (bytes.len != 0) std::memcpy(next_byte_, bytes.ptr, bytes.len);
    next_byte_ += bytes.len;
    return kept;
}

es_recorded_event EventBlock::copy(const es_event_data& data) {
    es_recorded_event record = abi::make_struct<es_recorded_event>();
    record.event_id = keep(data.event_id);
    record.type_name = keep(data.type_name);
    record.content_type = keep(data.content_type);
    record.tenant_id = keep(data.tenant_id);
    record.correlation_id = keep(data.correlation_id);
    record.causation_id = keep(data.causation_id);
    record.payload = keep(data.payload);
    record.headers = next_header_;
    record.header_count = data.header_count;
    for (size_t i = 0; i < data.header_count; ++i) {
        const es_bytes key = keep(data.headers[i].key);
        *next_header_++ = es_key_value{key, keep(data.headers[i].value)};
    }
    return record;
}

StoredEvent::StoredEvent(const es_event_data& data, EventBlock& block)
    : record_(block.copy(data)) {}

void StoredEvent::place(std::string_view stream_id, uint64_t stream_version,
                        uint64_t global_position, int64_t recorded_at_us, size_t block) {
    record_.stream_id = abi::bytes(stream_id);
    record_.stream_version = stream_version;
    record_.global_position = global_position;
    record_.recorded_at_us = recorded_at_us;
    block_ = block;
}

void StoredEvent::remove() { record_ = abi::make_struct<es_recorded_event>(); }

void StoredEvent::move_to(EventBlock& block, size_t index) {
    const es_recorded_event placed = record_;
    record_ = block.copy(data());
    place(abi::view(placed.stream_id), placed.stream_version, placed.global_position,
          placed.recorded_at_us, index);
}

es_event_data StoredEvent::data() const {
    es_event_data data = abi::make_struct<es_event_data>();
    data.event_id = record_.event_id;
    data.type_name = record_.type_name;
    data.content_type = record_.content_type;
    data.tenant_id = record_.tenant_id;
    data.correlation_id = record_.correlation_id;
    data.causation_id = record_.causation_id;
    data.payload = record_.payload;
    data.headers = record_.headers;
    data.header_count = record_.header_count;
    return data;
}

uint64_t StoredEvent::size() const { return validation::event_size(data()) + record_.stream_id.len; }

std::string_view StoredEvent::event_id() const { return abi::view(record_.event_id); }

std::string_view StoredEvent::stream_id() const { return abi::view(record_.stream_id); }

}  // namespace eventstore::memory
