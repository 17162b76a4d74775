// outage_clients.hpp: gRPC clients that keep working through outages, for the fault and crash
// tests. Each runs on its own thread until stopped.
//
// RetryingWriter appends one event at a time to its own stream and retries a failed append with
// the same event id until it is acknowledged (the contract's idempotent retry), so nothing is
// lost or written twice on its side. ResumingSubscriber subscribes, and when the stream ends with
// UNAVAILABLE subscribes again after the last position it received, as a client is told to.
#ifndef EVENTSTORE_TESTS_POSTGRES_OUTAGE_CLIENTS_HPP
#define EVENTSTORE_TESTS_POSTGRES_OUTAGE_CLIENTS_HPP

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "eventstore/v1/eventstore.grpc.pb.h"

namespace eventstore::test {

class RetryingWriter {
public:
    RetryingWriter(std::unique_ptr<v1::EventStore::Stub> stub, std::string stream);
    ~RetryingWriter();  // stops

    // Stops after the append in flight; an event not yet acknowledged is then given up.
    void stop();
    // Event id -> acknowledged global position.
    std::map<std::string, uint64_t> acknowledged();
    // How many appends ended with each status code.
    std::map<grpc::StatusCode, int> outcomes();

private:
    void run();

    std::unique_ptr<v1::EventStore::Stub> stub_;
    const std::string stream_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::map<std::string, uint64_t> acknowledged_;
    std::map<grpc::StatusCode, int> outcomes_;
    std::thread thread_;
};

class ResumingSubscriber {
public:
    explicit ResumingSubscriber(std::unique_ptr<v1::EventStore::Stub> stub);
    ~ResumingSubscriber();  // stops

    // Waits until an event at `position` or beyond was received; false at the deadline.
    bool wait_for(uint64_t position, std::chrono::milliseconds timeout);
    void stop();
    // Every event received, in order of arrival; and the statuses that ended a subscription.
    std::vector<v1::RecordedEvent> received();
    std::vector<grpc::Status> endings();

private:
    void run();

    std::unique_ptr<v1::EventStore::Stub> stub_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    grpc::ClientContext* context_ = nullptr;  // the subscription in progress, for stop()
    std::vector<v1::RecordedEvent> received_;
    std::vector<grpc::Status> endings_;
    std::thread thread_;
};

// Every event in the store, by ReadAll pages from position 0; fails the test on an error.
std::vector<v1::RecordedEvent> read_everything(v1::EventStore::Stub& stub);

}  // namespace eventstore::test

#endif
