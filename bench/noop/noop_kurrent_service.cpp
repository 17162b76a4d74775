#include "noop_kurrent_service.hpp"

#include <chrono>
#include <map>
#include <thread>

namespace eventstore::bench {
namespace {

namespace streams = event_store::client::streams;

constexpr std::chrono::milliseconds kCancelCheck{50};

// The KurrentDB form of the template (string id, "created" in 100-ns ticks since the epoch);
// Read numbers it.
void to_kurrent(const v1::RecordedEvent& event, streams::ReadResp::ReadEvent::RecordedEvent& out) {
    out.mutable_id()->set_string(event.metadata().event_id());
    out.mutable_stream_identifier()->set_stream_name("noop");
    auto& metadata = *out.mutable_metadata();
    metadata["type"] = event.metadata().type_name();
    metadata["content-type"] = event.metadata().content_type();
    metadata["created"] = std::to_string(event.recorded_at().seconds() * 10000000);
    out.set_data(event.payload());
}

}  // namespace

grpc::Status NoopKurrentService::Append(grpc::ServerContext*,
                                        grpc::ServerReader<streams::AppendReq>* reader,
                                        streams::AppendResp* response) {
    streams::AppendReq message;
    if (!reader->Read(&message) || !message.has_options()) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the options come first");
    }
    uint64_t count = 0;
    while (reader->Read(&message)) count += message.has_proposed_message();
    if (count == 0) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no event to append");
    }
    const uint64_t last = events_.count_appended(count);
    auto& success = *response->mutable_success();
    success.set_current_revision(count - 1);
    success.mutable_position()->set_commit_position(last);
    success.mutable_position()->set_prepare_position(last);
    return grpc::Status::OK;
}

grpc::Status NoopKurrentService::BatchAppend(
    grpc::ServerContext*,
    grpc::ServerReaderWriter<streams::BatchAppendResp, streams::BatchAppendReq>* stream) {
    streams::BatchAppendReq request;
    streams::BatchAppendResp response;
    std::map<std::string, uint64_t> open;  // events so far by correlation id, until is_final
    while (stream->Read(&request)) {
        const std::string& correlation = request.correlation_id().string();
        uint64_t& count = open[correlation];
        count += request.proposed_messages_size();
        if (!request.is_final()) continue;
        const uint64_t last = events_.count_appended(count);
        response.Clear();
        response.mutable_correlation_id()->set_string(correlation);
        auto& success = *response.mutable_success();
        success.set_current_revision(count - 1);
        success.mutable_position()->set_commit_position(last);
        success.mutable_position()->set_prepare_position(last);
        open.erase(correlation);
        if (!stream->Write(response)) return grpc::Status::CANCELLED;
    }
    return grpc::Status::OK;
}

grpc::Status NoopKurrentService::Read(grpc::ServerContext* context, const streams::ReadReq* request,
                                      grpc::ServerWriter<streams::ReadResp>* writer) {
    const auto& options = request->options();
    if (!options.has_all() || !options.has_subscription()) {
        return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "the no-op server serves $all subscriptions only");
    }
    const uint64_t head = events_.head();
    streams::ReadResp message;
    message.mutable_confirmation()->set_subscription_id("noop");
    if (!writer->Write(message)) return grpc::Status::CANCELLED;
    v1::RecordedEvent event;
    events_.make_event("", 1, 1, &event);
    auto& out = *message.mutable_event()->mutable_event();
    to_kurrent(event, out);
    const uint64_t after = options.all().has_position() ? options.all().position().commit_position() : 0;
    for (uint64_t position = after + 1; position <= head; ++position) {
        out.set_stream_revision(position - 1);
        out.set_commit_position(position);
        out.set_prepare_position(position);
        message.mutable_event()->set_commit_position(position);
        if (!writer->Write(message)) return grpc::Status::CANCELLED;
    }
    message.mutable_caught_up()->mutable_position()->set_commit_position(head);
    message.mutable_caught_up()->mutable_position()->set_prepare_position(head);
    if (!writer->Write(message)) return grpc::Status::CANCELLED;
    while (!context->IsCancelled()) std::this_thread::sleep_for(kCancelCheck);
    return grpc::Status::CANCELLED;
}

}  // namespace eventstore::bench
