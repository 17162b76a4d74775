#include "subscriber.hpp"

#include <gtest/gtest.h>

namespace eventstore::test {

namespace {

v1::SubscribeRequest subscribe_request(uint64_t after, const std::string& prefix) {
    v1::SubscribeRequest request;
    request.set_after_global_position(after);
    request.set_stream_prefix(prefix);
    return request;
}

}  // namespace

Subscriber::Subscriber(v1::EventStore::Stub& stub, uint64_t after, const std::string& prefix,
                       const std::map<std::string, std::string>& metadata)
    : Subscriber(stub, subscribe_request(after, prefix), metadata) {}

Subscriber::Subscriber(v1::EventStore::Stub& stub, const v1::SubscribeRequest& request,
                       const std::map<std::string, std::string>& metadata) {
    context_.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(2));
    for (const auto& [key, value] : metadata) context_.AddMetadata(key, value);
    reader_ = stub.Subscribe(&context_, request);
    thread_ = std::thread([this] {
        v1::SubscribeResponse message;
        while (reader_->Read(&message)) {
            std::lock_guard lock(mutex_);
            received_.push_back(message);
            changed_.notify_all();
        }
        grpc::Status status = reader_->Finish();
        std::lock_guard lock(mutex_);
        status_ = status;
        changed_.notify_all();
    });
}

Subscriber::~Subscriber() {
    context_.TryCancel();
    thread_.join();
}

std::optional<v1::SubscribeResponse> Subscriber::next(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return !received_.empty() || status_.has_value(); });
    if (received_.empty()) return std::nullopt;
    v1::SubscribeResponse message = received_.front();
    received_.pop_front();
    return message;
}

std::vector<v1::RecordedEvent> Subscriber::events(size_t count) {
    std::vector<v1::RecordedEvent> out;
    while (out.size() < count) {
        auto message = next();
        if (!message) {
            ADD_FAILURE() << "timed out after " << out.size() << " of " << count << " events";
            break;
        }
        if (message->has_event()) out.push_back(message->event());
    }
    return out;
}

grpc::Status Subscriber::finish(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [&] { return status_.has_value(); })) {
        return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "the stream did not end");
    }
    return *status_;
}

}  // namespace eventstore::test
