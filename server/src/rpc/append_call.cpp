#include "rpc/append_call.hpp"

#include "rpc/errors.hpp"

namespace eventstore::server {
namespace {

google::protobuf::ArenaOptions arena_options(char* initial_block, size_t size) {
    google::protobuf::ArenaOptions options;
    options.initial_block = initial_block;
    options.initial_block_size = size;
    options.max_block_size = 256 * 1024;
    return options;
}

}  // namespace

grpc::Status append_answer(const Status& status, const es_append_result& result,
                           const v1::AppendRequest& request, const Caller& caller,
                           const grpc::ServerContextBase& context, v1::AppendResponse& response) {
    if (status.code() == Code::failed_precondition) {
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

AppendCall::AppendCall() : arena_(arena_options(initial_block_, kInitialBlock)) {
    set_request(google::protobuf::Arena::CreateMessage<v1::AppendRequest>(&arena_));
    set_response(google::protobuf::Arena::CreateMessage<v1::AppendResponse>(&arena_));
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
