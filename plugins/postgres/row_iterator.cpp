#include "row_iterator.hpp"

#include <string_view>

#include "eventstore/header_codec.hpp"

namespace eventstore::postgres {

namespace {

enum Column : int {
    kPosition = 1, kStreamId, kStreamVersion, kRecordedAt, kEventId, kTypeName, kContentType,
    kTenantId, kCorrelationId, kCausationId, kHeaders, kPayload
};

es_bytes text(const pqxx::field& field) {
    return es_bytes{reinterpret_cast<const uint8_t*>(field.c_str()), field.size()};
}

es_bytes bytes(const pqxx::binarystring& binary) {
    return es_bytes{binary.data(), binary.size()};
}

}  // namespace

RowIterator::RowIterator(pqxx::result rows, es_page_info page)
    : rows_(std::move(rows)), page_(page) {}

Status RowIterator::next(es_recorded_event& event, bool& has_event) {
    while (next_ < rows_.size() && rows_[next_][kPosition].is_null()) ++next_;
    has_event = next_ < rows_.size();
    if (!has_event) return {};
    const pqxx::row row = rows_[next_++];
    payload_.emplace(row[kPayload]);
    headers_.emplace(row[kHeaders]);
    const std::string_view stored(reinterpret_cast<const char*>(headers_->data()),
                                  headers_->size());
    const uint64_t position = row[kPosition].as<uint64_t>();
    if (!plugin::decode_headers(stored, header_list_)) {
        return Status(Code::internal, "postgres: the stored headers of the event at position " +
                                          std::to_string(position) + " are not valid");
    }
    event.global_position = position;
    event.stream_id = text(row[kStreamId]);
    event.stream_version = row[kStreamVersion].as<uint64_t>();
    event.recorded_at_us = row[kRecordedAt].as<int64_t>();
    event.event_id = text(row[kEventId]);
    event.type_name = text(row[kTypeName]);
    event.content_type = text(row[kContentType]);
    event.tenant_id = text(row[kTenantId]);
    event.correlation_id = text(row[kCorrelationId]);
    event.causation_id = text(row[kCausationId]);
    event.headers = header_list_.data();
    event.header_count = header_list_.size();
    event.payload = bytes(*payload_);
    return {};
}

}  // namespace eventstore::postgres
