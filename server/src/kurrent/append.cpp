#include "kurrent/streams_service.hpp"

namespace eventstore::server::kurrent {

grpc::ServerReadReactor<proto::AppendReq>* StreamsService::Append(grpc::CallbackServerContext* context,
                                                                  proto::AppendResp* response) {
    return proto::Streams::CallbackService::Append(context, response);
}

}  // namespace eventstore::server::kurrent
