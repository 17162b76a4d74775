#include "rpc/append_call.hpp"

#include "rpc/errors.hpp"

namespace eventstore::server {

grpc::Status append_answer(const Status& status, const es_append_result& result,
                           const v1::AppendRequest& request, const Caller& caller,
                           const grpc::ServerContextBase& context, v1::AppendResponse& response) {
    if (status.code() == Code::failed_precondition) {
        if (result.tombstoned) {
            return stream_deleted(grpc::StatusCode::FAILED_PRECONDITION, request.stream_id());
        }
        return wrong_expected_version(status, request, result.actual_version);
    }
    if (!status.ok()) {
        return backend_to_grpc(Authorizer::visible_append_failure(caller, status), context);
    }
    response.set_current_version(result.current_version);
    response.set_first_global_position(result.first_global_position);
    response.set_last_global_position(result.last_global_position);
    return grpc::Status::OK;
}

void AppendCall::start(loader::Store& store, grpc::CallbackServerContext& context,
                       grpc::ServerUnaryReactor& reactor, Caller caller, abi::AppendBuilder append) {
    context_ = &context;
    reactor_ = &reactor;
    caller_ = std::move(caller);
    append_ = std::move(append);
    holders_.fetch_add(1, std::memory_order_relaxed);
    store.append_async(*this);
}

void AppendCall::complete(const Status& status, const es_append_result& result) {
    reactor_->Finish(append_answer(status, result, *request(), caller_, *context_, *response()));
}

}  // namespace eventstore::server
