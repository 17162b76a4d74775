#include "grpc_backend.hpp"

#include "google/rpc/status.pb.h"

namespace eventstore::conformance {

namespace {

// Generous: an append near the 4 MiB limit on a loaded CI machine.
constexpr std::chrono::seconds kCallDeadline{60};

std::unique_ptr<grpc::ClientContext> new_context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    return context;
}

Status from_grpc(const grpc::Status& status) {
    if (status.ok()) return {};
    return Status(static_cast<Code>(status.error_code()), status.error_message());
}

v1::ExpectedVersion to_proto(Expected expected) {
    v1::ExpectedVersion out;
    switch (expected.kind) {
    case ExpectedKind::any: out.mutable_any(); break;
    case ExpectedKind::no_stream: out.mutable_no_stream(); break;
    case ExpectedKind::stream_exists: out.mutable_stream_exists(); break;
    case ExpectedKind::exact: out.set_exact(expected.version); break;
    }
    return out;
}

void to_proto(const EventData& data, v1::EventData* out) {
    v1::EventMetadata* meta = out->mutable_metadata();
    meta->set_event_id(data.event_id);
    meta->set_type_name(data.type_name);
    meta->set_content_type(data.content_type);
    meta->set_tenant_id(data.tenant_id);
    meta->set_correlation_id(data.correlation_id);
    meta->set_causation_id(data.causation_id);
    for (const auto& [key, value] : data.headers) (*meta->mutable_headers())[key] = value;
    out->set_payload(data.payload);
}

RecordedEvent from_proto(const v1::RecordedEvent& event) {
    RecordedEvent out;
    out.stream_id = event.stream_id();
    out.stream_version = event.stream_version();
    out.global_position = event.global_position();
    out.recorded_at_us = event.recorded_at().seconds() * 1000000 + event.recorded_at().nanos() / 1000;
    const v1::EventMetadata& meta = event.metadata();
    out.data.event_id = meta.event_id();
    out.data.type_name = meta.type_name();
    out.data.content_type = meta.content_type();
    out.data.tenant_id = meta.tenant_id();
    out.data.correlation_id = meta.correlation_id();
    out.data.causation_id = meta.causation_id();
    for (const auto& [key, value] : meta.headers()) out.data.headers.emplace_back(key, value);
    out.data.payload = event.payload();
    return out;
}

// The detail of type `Detail` of a failed call, if it has one.
template <class Detail>
std::optional<Detail> detail_of(const grpc::Status& status) {
    google::rpc::Status rich;
    if (!rich.ParseFromString(status.error_details())) return std::nullopt;
    for (const auto& detail : rich.details()) {
        Detail wanted;
        if (detail.UnpackTo(&wanted)) return wanted;
    }
    return std::nullopt;
}

// The actual version from a FAILED_PRECONDITION's WrongExpectedVersion detail, if it has one.
std::optional<uint64_t> actual_version(const grpc::Status& status) {
    const auto wrong = detail_of<v1::WrongExpectedVersion>(status);
    if (!wrong) return std::nullopt;
    return wrong->actual_version();
}

bool tombstoned(const grpc::Status& status) {
    return detail_of<v1::StreamDeleted>(status).has_value();
}

constexpr int64_t kMicrosPerSecond = 1000000;

void to_proto(uint64_t max_count, uint64_t max_age_us, v1::StreamRetention* out) {
    out->set_max_count(max_count);
    if (max_age_us == 0) return;
    out->mutable_max_age()->set_seconds(static_cast<int64_t>(max_age_us) / kMicrosPerSecond);
    out->mutable_max_age()->set_nanos(
        static_cast<int32_t>(static_cast<int64_t>(max_age_us) % kMicrosPerSecond * 1000));
}

StreamState from_proto(const v1::StreamState& state) {
    const auto& age = state.retention().max_age();
    return {state.last_version(), state.truncate_before(), state.tombstoned(),
            state.retention().max_count(),
            static_cast<uint64_t>(age.seconds() * kMicrosPerSecond + age.nanos() / 1000)};
}

StateOutcome state_outcome(const grpc::Status& status, const v1::StreamState& response) {
    StateOutcome outcome;
    outcome.status = from_grpc(status);
    if (status.ok()) {
        outcome.state = from_proto(response);
    } else if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        outcome.actual_version = actual_version(status);
        outcome.tombstoned = tombstoned(status);
    }
    return outcome;
}

}  // namespace

Result<std::shared_ptr<grpc::Channel>> connect(const std::string& target,
                                               std::chrono::milliseconds timeout) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    args.SetMaxSendMessageSize(-1);
    auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
    if (!channel->WaitForConnected(std::chrono::system_clock::now() + timeout)) {
        return Status(Code::unavailable, "cannot connect to " + target + " within " +
                                             std::to_string(timeout.count()) + " ms");
    }
    return channel;
}

GrpcBackend::GrpcBackend(const std::shared_ptr<grpc::Channel>& channel)
    : stub_(v1::EventStore::NewStub(channel)) {}

AppendOutcome GrpcBackend::append(const std::string& stream_id, Expected expected,
                                  const std::vector<EventData>& events) {
    v1::AppendRequest request;
    request.set_stream_id(stream_id);
    *request.mutable_expected_version() = to_proto(expected);
    for (const EventData& event : events) to_proto(event, request.add_events());
    v1::AppendResponse response;
    const grpc::Status status = stub_->Append(new_context().get(), request, &response);
    AppendOutcome outcome;
    outcome.status = from_grpc(status);
    if (status.ok()) {
        outcome.current_version = response.current_version();
        outcome.first_position = response.first_global_position();
        outcome.last_position = response.last_global_position();
    } else if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        outcome.actual_version = actual_version(status);
        outcome.tombstoned = tombstoned(status);
    }
    return outcome;
}

StreamPage GrpcBackend::read_stream(const std::string& stream_id, uint64_t from_version,
                                    uint32_t max_count, bool forward) {
    v1::ReadStreamRequest request;
    request.set_stream_id(stream_id);
    request.set_from_version(from_version);
    request.set_max_count(max_count);
    request.set_forward(forward);
    v1::ReadStreamResponse response;
    StreamPage page;
    page.status = from_grpc(stub_->ReadStream(new_context().get(), request, &response));
    for (const auto& event : response.events()) page.events.push_back(from_proto(event));
    page.next_from_version = response.next_from_version();
    page.end_of_stream = response.end_of_stream();
    return page;
}

AllPage GrpcBackend::read_all(uint64_t after_position, uint32_t max_count,
                              const std::string& stream_prefix) {
    v1::ReadAllRequest request;
    request.set_after_global_position(after_position);
    request.set_max_count(max_count);
    request.set_stream_prefix(stream_prefix);
    v1::ReadAllResponse response;
    AllPage page;
    page.status = from_grpc(stub_->ReadAll(new_context().get(), request, &response));
    for (const auto& event : response.events()) page.events.push_back(from_proto(event));
    page.last_scanned_position = response.last_scanned_position();
    page.reached_head = response.reached_head();
    return page;
}

StateOutcome GrpcBackend::change_stream(const std::string& stream_id, const StreamChange& change) {
    v1::StreamState response;
    grpc::Status status;
    switch (change.kind) {
    case ChangeKind::remove: {
        v1::DeleteStreamRequest request;
        request.set_stream_id(stream_id);
        *request.mutable_expected_version() = to_proto(change.expected);
        status = stub_->DeleteStream(new_context().get(), request, &response);
        break;
    }
    case ChangeKind::tombstone: {
        v1::TombstoneStreamRequest request;
        request.set_stream_id(stream_id);
        *request.mutable_expected_version() = to_proto(change.expected);
        status = stub_->TombstoneStream(new_context().get(), request, &response);
        break;
    }
    case ChangeKind::truncate: {
        v1::TruncateStreamRequest request;
        request.set_stream_id(stream_id);
        request.set_before_version(change.before_version);
        status = stub_->TruncateStream(new_context().get(), request, &response);
        break;
    }
    case ChangeKind::set_retention: {
        v1::SetStreamRetentionRequest request;
        request.set_stream_id(stream_id);
        to_proto(change.max_count, change.max_age_us, request.mutable_retention());
        status = stub_->SetStreamRetention(new_context().get(), request, &response);
        break;
    }
    }
    return state_outcome(status, response);
}

StateOutcome GrpcBackend::stream_state(const std::string& stream_id) {
    v1::GetStreamStateRequest request;
    request.set_stream_id(stream_id);
    v1::StreamState response;
    return state_outcome(stub_->GetStreamState(new_context().get(), request, &response), response);
}

}  // namespace eventstore::conformance
