#include "page_iterator.hpp"

#include <string_view>

#include "eventstore/header_codec.hpp"

namespace eventstore::sqlite {

PageIterator::PageIterator(ReadPage events, es_page_info page)
    : events_(std::move(events)), page_(page) {}

Status PageIterator::next(es_recorded_event& event, bool& has_event) {
    has_event = next_ < events_.events.size();
    if (!has_event) return {};
    const ReadPage::Event& read = events_.events[next_++];
    const auto* bytes = reinterpret_cast<const uint8_t*>(events_.bytes.data());
    const auto field = [&read, bytes](size_t index) {
        const ReadPage::Span span = read.fields[index];
        return es_bytes{bytes + span.at, span.len};
    };
    const es_bytes headers = field(7);
    if (!plugin::decode_headers(
            std::string_view(reinterpret_cast<const char*>(headers.ptr), headers.len), headers_)) {
        return Status(Code::internal, "sqlite: the stored headers of the event at position " +
                                          std::to_string(read.global_position) + " are not valid");
    }
    event.global_position = read.global_position;
    event.stream_version = read.stream_version;
    event.recorded_at_us = read.recorded_at_us;
    event.stream_id = field(0);
    event.event_id = field(1);
    event.type_name = field(2);
    event.content_type = field(3);
    event.tenant_id = field(4);
    event.correlation_id = field(5);
    event.causation_id = field(6);
    event.headers = headers_.data();
    event.header_count = headers_.size();
    event.payload = field(8);
    return {};
}

}  // namespace eventstore::sqlite
