#include "kurrent/errors.hpp"

#include <algorithm>
#include <limits>

#include <google/protobuf/empty.pb.h>

#include "rpc/errors.hpp"
#include "shared.pb.h"

namespace eventstore::server::kurrent {

namespace {

void exception(grpc::ServerContextBase& context, const char* name) {
    context.AddTrailingMetadata("exception", name);
}

std::string missing_metadata_message(std::string_view property) {
    return "Required Metadata Property '" + std::string(property) + "' is missing";
}

}  // namespace

grpc::Status access_denied(grpc::ServerContextBase& context, const std::string& message) {
    exception(context, "access-denied");
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, message);
}

grpc::Status stream_deleted(grpc::ServerContextBase& context, const std::string& stream) {
    exception(context, "stream-deleted");
    context.AddTrailingMetadata("stream-name", stream);
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "Event stream '" + stream + "' is deleted.");
}

grpc::Status wrong_expected_version(grpc::ServerContextBase& context, const std::string& operation,
                                    const std::string& stream, int64_t expected,
                                    int64_t actual_version) {
    const std::string actual = std::to_string(actual_version);
    exception(context, "wrong-expected-version");
    context.AddTrailingMetadata("stream-name", stream);
    context.AddTrailingMetadata("expected-version", std::to_string(expected));
    context.AddTrailingMetadata("actual-version", actual);
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        operation + " failed due to WrongExpectedVersion. Stream: " + stream +
                            ", Expected version: " + std::to_string(expected) +
                            ", Actual version: " + actual);
}

grpc::Status maximum_append_size_exceeded(grpc::ServerContextBase& context, uint64_t limit,
                                          const std::string& message) {
    exception(context, "maximum-append-size-exceeded");
    context.AddTrailingMetadata("maximum-append-size", std::to_string(limit));
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        message.empty()
                            ? "Maximum Append Size of " + std::to_string(limit) + " Exceeded."
                            : message);
}

grpc::Status missing_required_metadata(grpc::ServerContextBase& context, std::string_view property) {
    exception(context, "missing-required-metadata-property");
    context.AddTrailingMetadata("required-metadata-properties", "type,content-type");
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, missing_metadata_message(property));
}

grpc::Status bad_request(const std::string& message) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

grpc::Status not_supported(const std::string& what) {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                        what + " is not supported by eventstored (docs/kurrent-protocol.md)");
}

grpc::Status refused(grpc::ServerContextBase& context, const Status& status) {
    if (status.code() == Code::permission_denied || status.code() == Code::unauthenticated) {
        return access_denied(context, status.message());
    }
    return to_grpc(status, context);
}

grpc::Status backend_refused(grpc::ServerContextBase& context, const Status& status) {
    if (status.code() == Code::permission_denied || status.code() == Code::unauthenticated) {
        return access_denied(context, status.message());
    }
    return backend_to_grpc(status, context);
}

Refusal classify(const Status& status, uint64_t max_append_bytes, bool from_backend) {
    Refusal refusal;
    refusal.core = status;
    refusal.from_backend = from_backend;
    refusal.text = status.message();
    switch (status.code()) {
    case Code::permission_denied:
    case Code::unauthenticated: refusal.kind = Refusal::Kind::access_denied; break;
    case Code::resource_exhausted:
        if (!from_backend && status.message().find("limits.max_append_") != std::string::npos) {
            refusal.kind = Refusal::Kind::maximum_append_size_exceeded;
            refusal.limit = max_append_bytes;
        }
        break;
    case Code::invalid_argument:
        if (!from_backend) refusal.kind = Refusal::Kind::bad_request;
        break;
    case Code::deadline_exceeded: refusal.kind = Refusal::Kind::timeout; break;
    default: break;
    }
    return refusal;
}

std::optional<Refusal> past_append_limits(const v1::AppendRequest& request, uint64_t& bytes,
                                          const es_limits& limits) {
    const v1::EventData& event = request.events(request.events_size() - 1);
    bytes += event.payload().size();
    for (const auto& [key, value] : event.metadata().headers()) bytes += key.size() + value.size();
    if (bytes <= limits.max_append_bytes &&
        static_cast<uint64_t>(request.events_size()) <= limits.max_append_events) {
        return std::nullopt;
    }
    Refusal refusal;
    refusal.kind = Refusal::Kind::maximum_append_size_exceeded;
    refusal.limit = limits.max_append_bytes;
    refusal.text = "this append exceeds limits.max_append_bytes (" +
                   std::to_string(limits.max_append_bytes) + ") or limits.max_append_events (" +
                   std::to_string(limits.max_append_events) + ")";
    return refusal;
}

grpc::Status answer(grpc::ServerContextBase& context, const Refusal& refusal) {
    switch (refusal.kind) {
    case Refusal::Kind::access_denied: return access_denied(context, refusal.text);
    case Refusal::Kind::stream_deleted: return stream_deleted(context, refusal.text);
    case Refusal::Kind::maximum_append_size_exceeded:
        return maximum_append_size_exceeded(context, refusal.limit, refusal.text);
    case Refusal::Kind::missing_required_metadata: return missing_required_metadata(context, refusal.text);
    case Refusal::Kind::bad_request: return bad_request(refusal.text);
    case Refusal::Kind::timeout:
    case Refusal::Kind::other: break;
    }
    return refusal.from_backend ? backend_to_grpc(refusal.core, context) : to_grpc(refusal.core, context);
}

google::rpc::Status batch_error(const grpc::ServerContextBase& context, const Refusal& refusal) {
    google::rpc::Status out;
    google::protobuf::Any* detail = out.add_details();
    switch (refusal.kind) {
    case Refusal::Kind::access_denied:
        out.set_code(grpc::StatusCode::PERMISSION_DENIED);
        out.set_message("AccessDenied");
        detail->PackFrom(event_store::client::AccessDenied());
        return out;
    case Refusal::Kind::stream_deleted: {
        out.set_code(grpc::StatusCode::NOT_FOUND);
        out.set_message("StreamDeleted");
        event_store::client::StreamDeleted deleted;
        deleted.mutable_stream_identifier()->set_stream_name(refusal.text);
        detail->PackFrom(deleted);
        return out;
    }
    case Refusal::Kind::maximum_append_size_exceeded: {
        out.set_code(grpc::StatusCode::INVALID_ARGUMENT);
        out.set_message("MaximumAppendSizeExceeded");
        event_store::client::MaximumAppendSizeExceeded exceeded;
        exceeded.set_maxappendsize(static_cast<uint32_t>(
            std::min<uint64_t>(refusal.limit, std::numeric_limits<uint32_t>::max())));
        detail->PackFrom(exceeded);
        return out;
    }
    case Refusal::Kind::missing_required_metadata:
    case Refusal::Kind::bad_request: {
        out.set_code(grpc::StatusCode::INVALID_ARGUMENT);
        out.set_message("BadRequest");
        event_store::client::BadRequest bad;
        bad.set_message(refusal.kind == Refusal::Kind::bad_request
                            ? refusal.text
                            : missing_metadata_message(refusal.text));
        detail->PackFrom(bad);
        return out;
    }
    case Refusal::Kind::timeout:
        out.set_code(grpc::StatusCode::DEADLINE_EXCEEDED);
        out.set_message("Timeout");
        detail->PackFrom(event_store::client::Timeout());
        return out;
    case Refusal::Kind::other: break;
    }
    const grpc::Status status =
        refusal.from_backend ? backend_to_grpc(refusal.core, context) : to_grpc(refusal.core, context);
    out.set_code(status.error_code());
    out.set_message(status.error_message());
    detail->PackFrom(google::protobuf::Empty());
    return out;
}

}  // namespace eventstore::server::kurrent
