#include "rpc/translate.hpp"

#include "eventstore/abi_struct.hpp"
#include "eventstore/validation.hpp"
#include "rpc/uuid_v7.hpp"

namespace eventstore::server {

using abi::bytes;
using abi::view;

namespace {

// An ExpectedVersion as the ABI's kind and version (append and change_stream alike).
template <class AbiRequest>
void set_expected(AbiRequest& out, const v1::ExpectedVersion& expected) {
    switch (expected.kind_case()) {
    case v1::ExpectedVersion::kNoStream: out.expected_kind = ES_EXPECT_NO_STREAM; break;
    case v1::ExpectedVersion::kStreamExists: out.expected_kind = ES_EXPECT_STREAM_EXISTS; break;
    case v1::ExpectedVersion::kExact:
        out.expected_kind = ES_EXPECT_EXACT;
        out.expected_version = expected.exact();
        break;
    case v1::ExpectedVersion::kAny:
    case v1::ExpectedVersion::KIND_NOT_SET: out.expected_kind = ES_EXPECT_ANY; break;
    }
}

constexpr int64_t kMaxAgeSeconds = int64_t{1} << 40;  // no overflow in microseconds

}  // namespace

abi::AppendBuilder append_request(const v1::AppendRequest& request, std::string_view tenant) {
    abi::AppendBuilder append;
    es_append_request& out = append.request();
    out.stream_id = bytes(request.stream_id());
    out.owner_tenant = bytes(tenant);
    set_expected(out, request.expected_version());
    const int count = request.events_size();
    append.reserve(count);
    for (int i = 0; i < count; ++i) {
        const v1::EventData& data = request.events(i);
        const v1::EventMetadata& meta = data.metadata();
        es_event_data& event = append.add_event();
        event.event_id =
            meta.event_id().empty() ? append.keep(new_uuid_v7()) : bytes(meta.event_id());
        event.type_name = bytes(meta.type_name());
        event.content_type = bytes(meta.content_type());
        event.tenant_id = tenant.empty() ? bytes(meta.tenant_id()) : bytes(tenant);
        event.correlation_id = bytes(meta.correlation_id());
        event.causation_id = bytes(meta.causation_id());
        event.payload = bytes(data.payload());
        for (const auto& [key, value] : meta.headers()) append.add_header(i, key, value);
    }
    return append;
}

Result<es_read_stream_request> read_stream_request(const v1::ReadStreamRequest& request,
                                                   std::string_view owner_tenant,
                                                   const es_limits& limits,
                                                   const CallDeadline& deadline) {
    es_read_stream_request read = abi::make_struct<es_read_stream_request>();
    read.forward = request.forward();
    read.stream_id = bytes(request.stream_id());
    read.owner_tenant = bytes(owner_tenant);
    read.from_version = request.from_version();
    read.max_count = validation::effective_page_size(request.max_count(), limits);
    if (Status s = fill_deadline(read, deadline); !s.ok()) return s;
    return read;
}

Result<es_read_all_request> read_all_request(uint64_t after, uint32_t max_count,
                                             std::string_view prefix, uint64_t max_scan,
                                             const CallDeadline& deadline) {
    es_read_all_request read = abi::make_struct<es_read_all_request>();
    read.after_position = after;
    read.max_count = max_count;
    read.stream_prefix = bytes(prefix);
    read.max_scan = max_scan;
    if (Status s = fill_deadline(read, deadline); !s.ok()) return s;
    return read;
}

Result<es_read_all_request> read_all_request(const v1::ReadAllRequest& request,
                                             std::string_view prefix, const es_limits& limits,
                                             const CallDeadline& deadline) {
    return read_all_request(request.after_global_position(),
                            validation::effective_page_size(request.max_count(), limits), prefix,
                            0, deadline);
}

Status check_expected_kind_known(const v1::ExpectedVersion& expected) {
    const auto& unknown = expected.GetReflection()->GetUnknownFields(expected);
    if (expected.kind_case() != v1::ExpectedVersion::KIND_NOT_SET || unknown.empty()) return {};
    return Status(Code::invalid_argument,
                  "expected_version holds field " + std::to_string(unknown.field(0).number()) +
                      ", a kind this server does not know (it knows any, no_stream, "
                      "stream_exists and exact); update the server or send one of those");
}

void to_proto(const es_recorded_event& event, v1::RecordedEvent* out) {
    out->set_stream_id(std::string(view(event.stream_id)));
    out->set_stream_version(event.stream_version);
    out->set_global_position(event.global_position);
    v1::EventMetadata* meta = out->mutable_metadata();
    meta->set_event_id(std::string(view(event.event_id)));
    meta->set_type_name(std::string(view(event.type_name)));
    meta->set_content_type(std::string(view(event.content_type)));
    meta->set_tenant_id(std::string(view(event.tenant_id)));
    meta->set_correlation_id(std::string(view(event.correlation_id)));
    meta->set_causation_id(std::string(view(event.causation_id)));
    auto* headers = meta->mutable_headers();
    for (size_t h = 0; h < event.header_count; ++h) {
        (*headers)[std::string(view(event.headers[h].key))] = std::string(view(event.headers[h].value));
    }
    out->set_payload(std::string(view(event.payload)));
    auto* at = out->mutable_recorded_at();
    constexpr int64_t kMicros = 1000000;
    int64_t seconds = event.recorded_at_us / kMicros;
    int64_t micros = event.recorded_at_us % kMicros;
    if (micros < 0) {
        micros += kMicros;
        seconds -= 1;
    }
    at->set_seconds(seconds);
    at->set_nanos(static_cast<int32_t>(micros * 1000));
}

size_t wire_size(const v1::RecordedEvent& event) { return event.ByteSizeLong(); }

es_stream_change_request change_request(es_stream_change_kind kind, const std::string& stream_id,
                                        std::string_view owner_tenant) {
    es_stream_change_request out = abi::make_struct<es_stream_change_request>();
    out.kind = kind;
    out.stream_id = bytes(stream_id);
    out.owner_tenant = bytes(owner_tenant);
    return out;
}

void set_expected(es_stream_change_request& request, const v1::ExpectedVersion& expected) {
    set_expected<>(request, expected);
}

Status set_retention(es_stream_change_request& request, const v1::StreamRetention& retention) {
    const auto& age = retention.max_age();
    if (age.seconds() < 0 || age.nanos() < 0 || age.nanos() > 999'999'999) {
        return Status(Code::invalid_argument,
                      "retention.max_age must be a non-negative duration (unset or 0: no limit)");
    }
    if (age.seconds() > kMaxAgeSeconds) {
        return Status(Code::invalid_argument, "retention.max_age is too long: at most " +
                                                  std::to_string(kMaxAgeSeconds) + " seconds");
    }
    request.max_count = retention.max_count();
    request.max_age_us = static_cast<uint64_t>(age.seconds()) * 1'000'000 +
                         static_cast<uint64_t>(age.nanos()) / 1000;
    if (request.max_age_us == 0 && (age.seconds() != 0 || age.nanos() != 0)) {
        return Status(Code::invalid_argument,
                      "retention.max_age is below a microsecond: use 0 for no limit, or at least 1us");
    }
    return {};
}

void to_proto(const std::string& stream_id, const es_stream_state& state, v1::StreamState* out) {
    out->set_stream_id(stream_id);
    out->set_last_version(state.last_version);
    out->set_truncate_before(state.truncate_before);
    out->set_deleted(state.last_version > 0 && state.truncate_before > state.last_version);
    out->set_tombstoned(state.tombstoned);
    v1::StreamRetention* retention = out->mutable_retention();
    retention->set_max_count(state.max_count);
    if (state.max_age_us != 0) {
        retention->mutable_max_age()->set_seconds(static_cast<int64_t>(state.max_age_us / 1'000'000));
        retention->mutable_max_age()->set_nanos(static_cast<int32_t>(state.max_age_us % 1'000'000) * 1000);
    }
}

}  // namespace eventstore::server
