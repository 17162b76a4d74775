#include "kurrent/streams_service.hpp"

namespace eventstore::server::kurrent {

grpc::ServerBidiReactor<proto::BatchAppendReq, proto::BatchAppendResp>* StreamsService::BatchAppend(
    grpc::CallbackServerContext* context) {
    return proto::Streams::CallbackService::BatchAppend(context);
}

}  // namespace eventstore::server::kurrent
