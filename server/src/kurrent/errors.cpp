#include "kurrent/errors.hpp"

#include "rpc/errors.hpp"

namespace eventstore::server::kurrent {

namespace {

void exception(grpc::ServerContextBase& context, const char* name) {
    context.AddTrailingMetadata("exception", name);
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

grpc::Status wrong_expected_version(grpc::ServerContextBase& context, const std::string& stream,
                                    int64_t expected, std::optional<uint64_t> actual_revision) {
    const std::string actual = actual_revision ? std::to_string(*actual_revision) : "";
    exception(context, "wrong-expected-version");
    context.AddTrailingMetadata("stream-name", stream);
    context.AddTrailingMetadata("expected-version", std::to_string(expected));
    context.AddTrailingMetadata("actual-version", actual);
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "Append failed due to WrongExpectedVersion. Stream: " + stream +
                            ", Expected version: " + std::to_string(expected) +
                            ", Actual version: " + actual);
}

grpc::Status maximum_append_size_exceeded(grpc::ServerContextBase& context, uint64_t limit) {
    exception(context, "maximum-append-size-exceeded");
    context.AddTrailingMetadata("maximum-append-size", std::to_string(limit));
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "Maximum Append Size of " + std::to_string(limit) + " Exceeded.");
}

grpc::Status missing_required_metadata(grpc::ServerContextBase& context, std::string_view property) {
    exception(context, "missing-required-metadata-property");
    context.AddTrailingMetadata("required-metadata-properties", "type,content-type");
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "Required Metadata Property '" + std::string(property) + "' is missing");
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

}  // namespace eventstore::server::kurrent
