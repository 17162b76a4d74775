// outage_clients.hpp: gRPC clients that keep working through outages, for the fault and crash
// tests. Each runs on its own thread until stopped.
//
// RetryingWriter appends one event at a time to its own stream, expecting any version or the
// stream's exact version, and retries a failed append with the same event id until it is
// acknowledged (the contract's idempotent retry), so nothing is lost or written twice on its side;
// or, as a client that gives up, drops an append that failed and goes on with a new event (whether
// the dropped one was written is then unknown: it is ambiguous). ResumingSubscriber subscribes, and when the stream ends with
// UNAVAILABLE subscribes again after the last position it received, as a client is told to.
#ifndef EVENTSTORE_TESTS_POSTGRES_OUTAGE_CLIENTS_HPP
#define EVENTSTORE_TESTS_POSTGRES_OUTAGE_CLIENTS_HPP

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "eventstore/v1/eventstore.grpc.pb.h"

namespace eventstore::test {

struct WriterOptions {
    bool exact_version = false;  // expect the stream's version as acknowledged last
    bool give_up = false;        // drop an append that failed instead of retrying it
};

class RetryingWriter {
public:
    // Where an acknowledged event is, as its append's answer said.
    struct Acknowledged {
        uint64_t position;
        uint64_t version;
    };

    RetryingWriter(std::unique_ptr<v1::EventStore::Stub> stub, std::string stream,
                   WriterOptions options = {});
    ~RetryingWriter();  // stops

    // Stops after the append in flight; an event not yet acknowledged is then given up.
    void stop();
    // Event id -> where its acknowledged append put it.
    std::map<std::string, Acknowledged> acknowledged();
    // Every event id sent, acknowledged or not.
    std::set<std::string> sent();
    // With give_up: event id -> the message of the failure it was given up after.
    std::map<std::string, std::string> given_up();
    // How many appends ended with each status code.
    std::map<grpc::StatusCode, int> outcomes();
    // How many failed appends were told that their outcome is unknown.
    int told_unknown();

private:
    void run();

    std::unique_ptr<v1::EventStore::Stub> stub_;
    const std::string stream_;
    const WriterOptions options_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::map<std::string, Acknowledged> acknowledged_;
    std::set<std::string> sent_;
    std::map<std::string, std::string> given_up_;
    std::map<grpc::StatusCode, int> outcomes_;
    int told_unknown_ = 0;
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

// Waits (up to `timeout`) until `subscriber` received the last of `stored`, stops it, and fails
// the test unless it received exactly `stored`, in order: no gap, no duplicate.
void expect_received_exactly(ResumingSubscriber& subscriber,
                             const std::vector<v1::RecordedEvent>& stored,
                             std::chrono::milliseconds timeout);

}  // namespace eventstore::test

#endif
