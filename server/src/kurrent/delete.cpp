// Delete and Tombstone: eventstore.v1's DeleteStream and TombstoneStream
// (EventStoreService::apply_change: the `delete` permission, the same expected-version rules and
// backend), answered as KurrentDB answers them: no_position (our lifecycle changes write no event
// into the log), wrong-expected-version and stream-deleted with their trailers. Synchronous on
// gRPC's callback thread, as eventstore.v1's lifecycle calls are (they are rare).
#include "kurrent/errors.hpp"
#include "kurrent/streams_service.hpp"
#include "kurrent/translate.hpp"
#include "rpc/errors.hpp"

namespace eventstore::server::kurrent {

namespace {

// An expected revision as KurrentDB's number in the wrong-expected-version trailer.
int64_t kurrent_number(const ExpectedRevision& expected) {
    switch (expected.kind) {
    case ExpectedRevision::Kind::revision: return static_cast<int64_t>(expected.revision);
    case ExpectedRevision::Kind::no_stream: return -1;
    case ExpectedRevision::Kind::any: return -2;
    case ExpectedRevision::Kind::stream_exists: return -4;
    }
    return -2;
}

// DeleteReq or TombstoneReq as `kind`, answered into `response` (DeleteResp or TombstoneResp).
template <class Request, class Response>
grpc::Status change(EventStoreService& core, grpc::CallbackServerContext& context,
                    es_stream_change_kind kind, const char* operation, uint64_t max_append_bytes,
                    const Request& request, Response& response) {
    if (!request.has_options()) return bad_request(std::string(operation) + " needs its options");
    const auto expected = expected_of(request.options());
    if (!expected) {
        return bad_request("options.expected_stream_revision must be one of revision, no_stream, "
                           "any, stream_exists");
    }
    v1::ExpectedVersion version;
    if (Status s = to_expected_version(*expected, &version); !s.ok()) return bad_request(s.message());
    const std::string& stream = stream_of(request.options().stream_identifier());
    if (Status s = check_not_system_stream(stream); !s.ok()) return to_grpc(s, context);
    const auto result = core.apply_change(context, kind, stream, &version, {});
    if (result.from_backend && result.status.code() == Code::failed_precondition) {
        if (result.state.tombstoned) return stream_deleted(context, stream);
        const int64_t actual =
            result.state.last_version == 0 ? -1 : static_cast<int64_t>(revision_of(result.state.last_version));
        return wrong_expected_version(context, operation, stream, kurrent_number(*expected), actual);
    }
    if (!result.status.ok()) {
        return answer(context, classify(result.status, max_append_bytes, result.from_backend));
    }
    response.mutable_no_position();
    return grpc::Status::OK;
}

}  // namespace

grpc::ServerUnaryReactor* StreamsService::Delete(grpc::CallbackServerContext* context,
                                                 const proto::DeleteReq* request,
                                                 proto::DeleteResp* response) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(change(core_, *context, ES_CHANGE_DELETE, "Delete",
                           config_.limits.max_append_bytes, *request, *response));
    return reactor;
}

grpc::ServerUnaryReactor* StreamsService::Tombstone(grpc::CallbackServerContext* context,
                                                    const proto::TombstoneReq* request,
                                                    proto::TombstoneResp* response) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(change(core_, *context, ES_CHANGE_TOMBSTONE, "Tombstone",
                           config_.limits.max_append_bytes, *request, *response));
    return reactor;
}

}  // namespace eventstore::server::kurrent
