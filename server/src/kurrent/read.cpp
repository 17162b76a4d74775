#include "kurrent/streams_service.hpp"

namespace eventstore::server::kurrent {

grpc::ServerWriteReactor<proto::ReadResp>* StreamsService::Read(grpc::CallbackServerContext* context,
                                                                const proto::ReadReq* request) {
    return proto::Streams::CallbackService::Read(context, request);
}

}  // namespace eventstore::server::kurrent
