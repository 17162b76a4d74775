#include "outage_clients.hpp"

#include <gtest/gtest.h>

#include "test_server.hpp"

namespace eventstore::test {

using namespace std::chrono_literals;

RetryingWriter::RetryingWriter(std::unique_ptr<v1::EventStore::Stub> stub, std::string stream,
                               WriterOptions options)
    : stub_(std::move(stub)),
      stream_(std::move(stream)),
      options_(options),
      thread_([this] { run(); }) {}

RetryingWriter::~RetryingWriter() { stop(); }

void RetryingWriter::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void RetryingWriter::run() {
    v1::AppendRequest request;
    request.set_stream_id(stream_);
    *request.add_events() = make_event();
    uint64_t version = 0;  // the stream's, as acknowledged last
    while (!stopping_) {
        if (options_.exact_version) request.mutable_expected_version()->set_exact(version);
        v1::AppendResponse response;
        {
            std::lock_guard lock(mutex_);
            sent_.insert(request.events(0).metadata().event_id());
        }
        const grpc::Status status =
            stub_->Append(context_with_deadline(5).get(), request, &response);
        {
            std::lock_guard lock(mutex_);
            ++outcomes_[status.error_code()];
            if (status.ok()) {
                acknowledged_[request.events(0).metadata().event_id()] = {
                    response.first_global_position(), response.current_version()};
                version = response.current_version();
            } else if (options_.give_up) {
                given_up_[request.events(0).metadata().event_id()] = status.error_message();
            }
            if (status.error_message().find("outcome is unknown") != std::string::npos) {
                ++told_unknown_;
            }
        }
        if (status.ok() || options_.give_up) {
            *request.mutable_events(0) = make_event();  // the next event; else retry this one
        }
        if (!status.ok()) {
            std::this_thread::sleep_for(20ms);  // a client's back-off, not a synchronisation
        }
    }
}

std::map<std::string, RetryingWriter::Acknowledged> RetryingWriter::acknowledged() {
    std::lock_guard lock(mutex_);
    return acknowledged_;
}

std::set<std::string> RetryingWriter::sent() {
    std::lock_guard lock(mutex_);
    return sent_;
}

std::map<std::string, std::string> RetryingWriter::given_up() {
    std::lock_guard lock(mutex_);
    return given_up_;
}

std::map<grpc::StatusCode, int> RetryingWriter::outcomes() {
    std::lock_guard lock(mutex_);
    return outcomes_;
}

int RetryingWriter::told_unknown() {
    std::lock_guard lock(mutex_);
    return told_unknown_;
}

ResumingSubscriber::ResumingSubscriber(std::unique_ptr<v1::EventStore::Stub> stub)
    : stub_(std::move(stub)), thread_([this] { run(); }) {}

ResumingSubscriber::~ResumingSubscriber() { stop(); }

void ResumingSubscriber::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        if (context_ != nullptr) context_->TryCancel();
    }
    if (thread_.joinable()) thread_.join();
}

void ResumingSubscriber::run() {
    uint64_t after = 0;
    while (!stopping_) {
        grpc::ClientContext context;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            context_ = &context;
        }
        v1::SubscribeRequest request;
        request.set_after_global_position(after);
        auto reader = stub_->Subscribe(&context, request);
        v1::SubscribeResponse message;
        while (reader->Read(&message)) {
            if (!message.has_event()) continue;
            after = message.event().global_position();
            std::lock_guard lock(mutex_);
            received_.push_back(message.event());
        }
        const grpc::Status status = reader->Finish();
        std::lock_guard lock(mutex_);
        context_ = nullptr;
        if (!stopping_) endings_.push_back(status);
        if (!stopping_ && status.error_code() != grpc::StatusCode::UNAVAILABLE) return;
        if (!stopping_) std::this_thread::sleep_for(50ms);  // a client's back-off
    }
}

bool ResumingSubscriber::wait_for(uint64_t position, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        {
            std::lock_guard lock(mutex_);
            if (!received_.empty() && received_.back().global_position() >= position) return true;
        }
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

std::vector<v1::RecordedEvent> ResumingSubscriber::received() {
    std::lock_guard lock(mutex_);
    return received_;
}

std::vector<grpc::Status> ResumingSubscriber::endings() {
    std::lock_guard lock(mutex_);
    return endings_;
}

std::vector<v1::RecordedEvent> read_everything(v1::EventStore::Stub& stub) {
    std::vector<v1::RecordedEvent> events;
    uint64_t after = 0;
    for (;;) {
        v1::ReadAllRequest request;
        request.set_after_global_position(after);
        request.set_max_count(1000);
        v1::ReadAllResponse page;
        const grpc::Status status = stub.ReadAll(context_with_deadline().get(), request, &page);
        if (!status.ok()) {
            ADD_FAILURE() << "ReadAll: " << status.error_message();
            return events;
        }
        events.insert(events.end(), page.events().begin(), page.events().end());
        after = page.last_scanned_position();
        if (page.reached_head()) return events;
    }
}

void expect_received_exactly(ResumingSubscriber& subscriber,
                             const std::vector<v1::RecordedEvent>& stored,
                             std::chrono::milliseconds timeout) {
    ASSERT_FALSE(stored.empty());
    EXPECT_TRUE(subscriber.wait_for(stored.back().global_position(), timeout))
        << "the subscriber did not reach the head";
    subscriber.stop();
    const std::vector<v1::RecordedEvent> received = subscriber.received();
    ASSERT_EQ(received.size(), stored.size()) << "the subscription has a gap or a duplicate";
    for (size_t i = 0; i < stored.size(); ++i) {
        ASSERT_EQ(received[i].global_position(), stored[i].global_position()) << "delivery " << i;
        ASSERT_EQ(received[i].metadata().event_id(), stored[i].metadata().event_id());
    }
}

}  // namespace eventstore::test
