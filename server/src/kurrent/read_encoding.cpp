#include "kurrent/read_encoding.hpp"

#include <chrono>

#include <google/protobuf/util/time_util.h>
#include <grpcpp/impl/codegen/proto_utils.h>

#include "rpc/uuid_v7.hpp"

namespace eventstore::server::kurrent {
namespace {

using event_store::client::streams::ReadResp;

void stamp_now(google::protobuf::Timestamp* out) {
    *out = google::protobuf::util::TimeUtil::GetCurrentTime();
}

}  // namespace

grpc::ByteBuffer to_buffer(const ReadResp& response) {
    grpc::ByteBuffer buffer;
    bool own = false;
    // Serializing a message in memory cannot fail.
    (void)grpc::SerializationTraits<ReadResp>::Serialize(response, &buffer, &own);
    return buffer;
}

grpc::ByteBuffer to_buffer(const std::string& message) {
    grpc::Slice slice(message);
    return grpc::ByteBuffer(&slice, 1);
}

ReadResp checkpoint_at(uint64_t position) {
    ReadResp response;
    response.mutable_checkpoint()->set_commit_position(position);
    response.mutable_checkpoint()->set_prepare_position(position);
    stamp_now(response.mutable_checkpoint()->mutable_timestamp());
    return response;
}

KurrentEncoding::KurrentEncoding(std::string stream, std::optional<EventFilter> filter, UuidForm uuid,
                                 std::optional<uint64_t> after_revision)
    : stream_(std::move(stream)),
      filter_(std::move(filter)),
      uuid_(uuid),
      after_revision_(after_revision) {}

bool KurrentEncoding::wants(const SharedEvent& event) const {
    if (!stream_.empty()) return event.stream_id == stream_;
    return !filter_ || filter_->matches(event.stream_id, event.type);
}

grpc::ByteBuffer KurrentEncoding::events(const SharedEventPtr* events, size_t, bool) const {
    thread_local v1::RecordedEvent recorded;
    recorded.Clear();
    recorded.ParseFromString(events[0]->bytes);
    return to_buffer(read_event_message(recorded, uuid_));
}

std::string KurrentEncoding::checkpoint(uint64_t position) const {
    return checkpoint_at(position).SerializeAsString();
}

std::string KurrentEncoding::caught_up(uint64_t position, const SharedEvent* last_event) const {
    ReadResp response;
    stamp_now(response.mutable_caught_up()->mutable_timestamp());
    response.mutable_caught_up()->mutable_position()->set_commit_position(position);
    response.mutable_caught_up()->mutable_position()->set_prepare_position(position);
    if (!stream_.empty()) {
        std::optional<uint64_t> revision = after_revision_;
        if (last_event != nullptr) {
            v1::RecordedEvent recorded;
            recorded.ParseFromString(last_event->bytes);
            revision = revision_of(recorded.stream_version());
        }
        if (revision) response.mutable_caught_up()->set_stream_revision(static_cast<int64_t>(*revision));
    }
    return response.SerializeAsString();
}

std::string KurrentEncoding::greeting() const {
    ReadResp response;
    response.mutable_confirmation()->set_subscription_id(new_uuid_v7());
    return response.SerializeAsString();
}

}  // namespace eventstore::server::kurrent
