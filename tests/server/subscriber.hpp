// subscriber.hpp: a test client of Subscribe that reads on its own thread, so a test can wait for
// the next message with a deadline instead of blocking forever on a broken server.
#ifndef EVENTSTORE_TESTS_SUBSCRIBER_HPP
#define EVENTSTORE_TESTS_SUBSCRIBER_HPP

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "eventstore/v1/eventstore.grpc.pb.h"

namespace eventstore::test {

class Subscriber {
public:
    // `metadata` is sent with the call (e.g. an authorization header).
    Subscriber(v1::EventStore::Stub& stub, uint64_t after, const std::string& prefix = "",
               const std::map<std::string, std::string>& metadata = {});
    Subscriber(v1::EventStore::Stub& stub, const v1::SubscribeRequest& request,
               const std::map<std::string, std::string>& metadata = {});
    ~Subscriber();

    // The next message, or nothing if none came within `timeout` (or the stream ended).
    std::optional<v1::SubscribeResponse> next(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // The next `count` events, skipping checkpoints and caught_up; fails the test on a timeout.
    std::vector<v1::RecordedEvent> events(size_t count);
    // Waits for the end of the stream and returns its status.
    grpc::Status finish(std::chrono::milliseconds timeout = std::chrono::seconds(10));

private:
    grpc::ClientContext context_;
    std::unique_ptr<grpc::ClientReader<v1::SubscribeResponse>> reader_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<v1::SubscribeResponse> received_;
    std::optional<grpc::Status> status_;
    std::thread thread_;
};

}  // namespace eventstore::test

#endif
