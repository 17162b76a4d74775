#include "rpc/errors.hpp"

#include <spdlog/spdlog.h>

#include "google/rpc/status.pb.h"
#include "observability/server_metrics.hpp"
#include "rpc/uuid_v7.hpp"

namespace eventstore::server {

grpc::Status to_grpc(const Status& status) {
    if (status.ok()) return grpc::Status::OK;
    const auto code = static_cast<grpc::StatusCode>(status.code());
    if (is_backend_failure(code)) server_metrics().backend_errors[static_cast<size_t>(code)].add();
    if (status.code() == Code::internal) {
        const std::string id = new_uuid_v7().substr(24);
        spdlog::error("internal error {}: {}", id, status.message());
        return grpc::Status(grpc::StatusCode::INTERNAL,
                            "internal error " + id + " (the server log has the details): " +
                                status.message());
    }
    return grpc::Status(code, status.message());
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
