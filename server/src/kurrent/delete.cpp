#include "kurrent/streams_service.hpp"

namespace eventstore::server::kurrent {

grpc::ServerUnaryReactor* StreamsService::Delete(grpc::CallbackServerContext* context,
                                                 const proto::DeleteReq* request,
                                                 proto::DeleteResp* response) {
    return proto::Streams::CallbackService::Delete(context, request, response);
}

grpc::ServerUnaryReactor* StreamsService::Tombstone(grpc::CallbackServerContext* context,
                                                    const proto::TombstoneReq* request,
                                                    proto::TombstoneResp* response) {
    return proto::Streams::CallbackService::Tombstone(context, request, response);
}

}  // namespace eventstore::server::kurrent
