#include "event_columns.hpp"

#include "eventstore/abi_struct.hpp"
#include "eventstore/header_codec.hpp"

namespace eventstore::postgres {

bool has_nul(es_bytes bytes) { return abi::view(bytes).find('\0') != std::string_view::npos; }

Status check_storable(const es_append_request& request) {
    if (has_nul(request.owner_tenant)) {
        return Status(Code::invalid_argument,
                      "owner_tenant contains a NUL byte, which the postgres backend cannot compare");
    }
    for (size_t i = 0; i < request.event_count; ++i) {
        const es_event_data& event = *request.events[i];
        const std::pair<const char*, es_bytes> fields[] = {
            {"type_name", event.type_name},           {"content_type", event.content_type},
            {"tenant_id", event.tenant_id},           {"correlation_id", event.correlation_id},
            {"causation_id", event.causation_id}};
        for (const auto& [name, bytes] : fields) {
            if (has_nul(bytes)) {
                return Status(Code::invalid_argument,
                              "events[" + std::to_string(i) + "].metadata." + name +
                                  " contains a NUL byte, which the postgres backend cannot store");
            }
        }
    }
    return {};
}

void ArrayLiteral::add_text(std::string_view text) {
    if (body_.size() > 1) body_ += ',';
    body_ += '"';
    for (char c : text) {
        if (c == '"' || c == '\\') body_ += '\\';
        body_ += c;
    }
    body_ += '"';
}

void ArrayLiteral::add_number(int64_t number) {
    if (body_.size() > 1) body_ += ',';
    body_ += std::to_string(number);
}

void EventColumns::add(const es_append_request& request, uint64_t first_version) {
    const std::string_view stream_id = abi::view(request.stream_id);
    for (size_t i = 0; i < request.event_count; ++i) {
        const es_event_data& event = *request.events[i];
        stream_ids.add_text(stream_id);
        stream_versions.add_number(static_cast<int64_t>(first_version + i));
        event_ids.add_text(abi::view(event.event_id));
        type_names.add_text(abi::view(event.type_name));
        content_types.add_text(abi::view(event.content_type));
        tenant_ids.add_text(abi::view(event.tenant_id));
        correlation_ids.add_text(abi::view(event.correlation_id));
        causation_ids.add_text(abi::view(event.causation_id));

        payload_at.add_number(static_cast<int64_t>(blob.size() + 1));
        payload_length.add_number(static_cast<int64_t>(event.payload.len));
        blob += abi::view(event.payload);
        const size_t headers_start = blob.size();
        plugin::encode_headers(event.headers, event.header_count, blob);
        headers_at.add_number(static_cast<int64_t>(headers_start + 1));
        headers_length.add_number(static_cast<int64_t>(blob.size() - headers_start));
        ++count_;
    }
}

}  // namespace eventstore::postgres
