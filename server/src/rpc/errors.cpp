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

grpc::Status wrong_expected_version(const Status& status, const v1::AppendRequest& request,
                                    uint64_t actual_version) {
    v1::WrongExpectedVersion detail;
    detail.set_stream_id(request.stream_id());
    *detail.mutable_expected() = request.expected_version();
    detail.set_actual_version(actual_version);
    google::rpc::Status rich;
    rich.set_code(grpc::StatusCode::FAILED_PRECONDITION);
    rich.set_message(status.message());
    rich.add_details()->PackFrom(detail);
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, status.message(),
                        rich.SerializeAsString());
}

}  // namespace eventstore::server
