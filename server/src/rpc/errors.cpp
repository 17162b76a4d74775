#include "rpc/errors.hpp"

#include "google/rpc/status.pb.h"
#include "observability/request_id.hpp"
#include "observability/server_metrics.hpp"

namespace eventstore::server {

grpc::Status to_grpc(const Status& status, const grpc::ServerContextBase& context) {
    if (status.ok()) return grpc::Status::OK;
    return to_grpc(status, request_id(context));
}

grpc::Status backend_to_grpc(const Status& status, const grpc::ServerContextBase& context) {
    if (status.ok()) return grpc::Status::OK;
    return backend_to_grpc(status, request_id(context));
}

grpc::Status to_grpc(const Status& status, const std::string& request_id) {
    if (status.ok()) return grpc::Status::OK;
    if (status.code() == Code::internal) {
        return grpc::Status(grpc::StatusCode::INTERNAL,
                            "internal error " + request_id +
                                " (the server log has the details): " + status.message());
    }
    return grpc::Status(static_cast<grpc::StatusCode>(status.code()), status.message());
}

grpc::Status backend_to_grpc(const Status& status, const std::string& request_id) {
    const auto code = static_cast<grpc::StatusCode>(status.code());
    if (is_backend_failure(code)) server_metrics().backend_errors[static_cast<size_t>(code)].add();
    return to_grpc(status, request_id);
}

namespace {

grpc::Status with_detail(grpc::StatusCode code, const std::string& message,
                         const google::protobuf::Message& detail) {
    google::rpc::Status rich;
    rich.set_code(code);
    rich.set_message(message);
    rich.add_details()->PackFrom(detail);
    return grpc::Status(code, message, rich.SerializeAsString());
}

}  // namespace

grpc::Status wrong_expected_version(const Status& status, const std::string& stream_id,
                                    const v1::ExpectedVersion& expected, uint64_t actual_version) {
    v1::WrongExpectedVersion detail;
    detail.set_stream_id(stream_id);
    *detail.mutable_expected() = expected;
    detail.set_actual_version(actual_version);
    return with_detail(grpc::StatusCode::FAILED_PRECONDITION, status.message(), detail);
}

grpc::Status wrong_expected_version(const Status& status, const v1::AppendRequest& request,
                                    uint64_t actual_version) {
    return wrong_expected_version(status, request.stream_id(), request.expected_version(),
                                  actual_version);
}

grpc::Status stream_deleted(grpc::StatusCode code, const std::string& stream_id) {
    v1::StreamDeleted detail;
    detail.set_stream_id(stream_id);
    return with_detail(code,
                       "stream '" + stream_id +
                           "' is tombstoned: it was deleted for good, and no event can be appended "
                           "to it again; use another stream id",
                       detail);
}

}  // namespace eventstore::server
