#include "noop_service.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace eventstore::bench {
namespace {

constexpr uint32_t kDefaultPage = 100;
constexpr uint32_t kMaxPage = 1000;
constexpr std::chrono::milliseconds kCancelCheck{50};

uint32_t page_size(uint32_t asked) { return asked == 0 ? kDefaultPage : std::min(asked, kMaxPage); }

}  // namespace

grpc::Status NoopService::Append(grpc::ServerContext*, const v1::AppendRequest* request,
                                 v1::AppendResponse* response) {
    if (request->events_size() == 0) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "events must hold at least one event");
    }
    std::call_once(template_once_, [&] {
        const v1::EventData& first = request->events(0);
        *template_.mutable_metadata() = first.metadata();
        template_.set_payload(first.payload());
        template_.mutable_recorded_at()->set_seconds(
            std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::system_clock::now().time_since_epoch()).count());
        has_template_ = true;
    });
    const uint64_t count = request->events_size();
    const uint64_t last = count_appended(count);
    response->set_current_version(count);
    response->set_first_global_position(last - count + 1);
    response->set_last_global_position(last);
    return grpc::Status::OK;
}

void NoopService::make_event(const std::string& stream, uint64_t version, uint64_t position,
                             v1::RecordedEvent* out) const {
    if (has_template_) *out = template_;
    out->set_stream_id(stream);
    out->set_stream_version(version);
    out->set_global_position(position);
}

grpc::Status NoopService::ReadStream(grpc::ServerContext*, const v1::ReadStreamRequest* request,
                                     v1::ReadStreamResponse* response) {
    const uint32_t count = page_size(request->max_count());
    const uint64_t from = std::max<uint64_t>(request->from_version(), 1);
    for (uint32_t i = 0; i < count; ++i) {
        make_event(request->stream_id(), from + i, from + i, response->add_events());
    }
    response->set_next_from_version(from + count);
    return grpc::Status::OK;
}

grpc::Status NoopService::ReadAll(grpc::ServerContext*, const v1::ReadAllRequest* request,
                                  v1::ReadAllResponse* response) {
    const uint64_t after = request->after_global_position();
    const uint64_t head = head_;
    const uint64_t count = std::min<uint64_t>(page_size(request->max_count()), head > after ? head - after : 0);
    for (uint64_t i = 1; i <= count; ++i) {
        make_event(template_.stream_id(), after + i, after + i, response->add_events());
    }
    response->set_last_scanned_position(after + count);
    response->set_reached_head(after + count >= head);
    return grpc::Status::OK;
}

grpc::Status NoopService::Subscribe(grpc::ServerContext* context,
                                    const v1::SubscribeRequest* request,
                                    grpc::ServerWriter<v1::SubscribeResponse>* writer) {
    const uint64_t head = head_;
    v1::SubscribeResponse message;
    for (uint64_t position = request->after_global_position() + 1; position <= head; ++position) {
        make_event(template_.stream_id(), position, position, message.mutable_event());
        if (!writer->Write(message)) return grpc::Status::CANCELLED;
    }
    message.mutable_caught_up()->set_global_position(head);
    if (!writer->Write(message)) return grpc::Status::CANCELLED;
    while (!context->IsCancelled()) std::this_thread::sleep_for(kCancelCheck);
    return grpc::Status::CANCELLED;
}

}  // namespace eventstore::bench
