#include "stored_event.hpp"

#include "eventstore/abi_struct.hpp"
#include "eventstore/validation.hpp"

namespace eventstore::memory {

StoredEvent::StoredEvent(const es_event_data& data)
    : record_(abi::make_struct<es_recorded_event>()) {
    // Reserved to the exact size, so keep() never reallocates and earlier pointers stay valid.
    bytes_.reserve(validation::event_size(data));
    headers_.reserve(data.header_count);
    record_.event_id = keep(data.event_id);
    record_.type_name = keep(data.type_name);
    record_.content_type = keep(data.content_type);
    record_.tenant_id = keep(data.tenant_id);
    record_.correlation_id = keep(data.correlation_id);
    record_.causation_id = keep(data.causation_id);
    record_.payload = keep(data.payload);
    for (size_t i = 0; i < data.header_count; ++i) {
        const es_bytes key = keep(data.headers[i].key);
        headers_.push_back(es_key_value{key, keep(data.headers[i].value)});
    }
    record_.headers = headers_.data();
    record_.header_count = headers_.size();
}

es_bytes StoredEvent::keep(es_bytes bytes) {
    const size_t offset = bytes_.size();
    bytes_.insert(bytes_.end(), bytes.ptr, bytes.ptr + bytes.len);
    return es_bytes{bytes_.data() + offset, bytes.len};
}

void StoredEvent::place(std::string_view stream_id, uint64_t stream_version,
                        uint64_t global_position, int64_t recorded_at_us) {
    record_.stream_id = abi::bytes(stream_id);
    record_.stream_version = stream_version;
    record_.global_position = global_position;
    record_.recorded_at_us = recorded_at_us;
}

std::string_view StoredEvent::event_id() const { return abi::view(record_.event_id); }

std::string_view StoredEvent::stream_id() const { return abi::view(record_.stream_id); }

}  // namespace eventstore::memory
