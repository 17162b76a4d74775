// test_server.hpp: a real eventstored, started in-process on a free port with the memory plugin
// loaded from its .so, and a gRPC client of it. Each test gets a fresh server and store.
#ifndef EVENTSTORE_TESTS_TEST_SERVER_HPP
#define EVENTSTORE_TESTS_TEST_SERVER_HPP

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "server.hpp"

namespace eventstore::test {

// Config text for a test server: listens on 127.0.0.1:0 with `plugin` (default: the memory
// plugin); `extra` adds top-level sections (limits, subscriptions, ...).
std::string test_config(const std::string& extra = "",
                        const std::string& plugin = MEMORY_PLUGIN_PATH);

class ServerTest : public ::testing::Test {
protected:
    void SetUp() override { start(); }
    void TearDown() override { stop(); }

    // (Re)starts the server with `extra` config sections and `plugin`.
    void start(const std::string& extra = "", const std::string& plugin = MEMORY_PLUGIN_PATH);
    // (Re)starts the server with this whole config text.
    void start_with_config(const std::string& yaml);
    // (Re)starts the server with this config (for a value no config text can give).
    void start_with(server::Config config);
    void stop();

    grpc::Status append(const std::string& stream, const std::vector<v1::EventData>& events,
                        const v1::ExpectedVersion& expected = {},
                        v1::AppendResponse* response = nullptr);
    // Appends `count` generated events of type "Happened" and expects success.
    v1::AppendResponse append_n(const std::string& stream, int count);
    grpc::Status read_stream(const std::string& stream, uint64_t from, uint32_t max_count,
                             bool forward, v1::ReadStreamResponse* response);
    grpc::Status read_all(uint64_t after, uint32_t max_count, const std::string& prefix,
                          v1::ReadAllResponse* response);
    // Every event of a stream, forward.
    std::vector<v1::RecordedEvent> whole_stream(const std::string& stream);

    std::unique_ptr<server::Server> server_;
    std::shared_ptr<grpc::Channel> channel_;
    std::unique_ptr<v1::EventStore::Stub> stub_;
};

// A new event with a fresh id, the given type and payload.
v1::EventData make_event(const std::string& type = "Happened", const std::string& payload = "{}");
v1::ExpectedVersion expect_any();
v1::ExpectedVersion expect_no_stream();
v1::ExpectedVersion expect_stream_exists();
v1::ExpectedVersion expect_exact(uint64_t version);

grpc::Status read_stream(v1::EventStore::Stub& stub, const std::string& stream, uint64_t from,
                         uint32_t max_count, bool forward, v1::ReadStreamResponse* response);
// Every event of a stream, forward (empty if a read fails).
std::vector<v1::RecordedEvent> whole_stream(v1::EventStore::Stub& stub, const std::string& stream);

// The WrongExpectedVersion detail of a FAILED_PRECONDITION status (fails the test if absent).
v1::WrongExpectedVersion wrong_expected_version(const grpc::Status& status);

// A context whose call gives up after `seconds`, so a broken server fails a test, not hangs it.
std::unique_ptr<grpc::ClientContext> context_with_deadline(int seconds = 10);

}  // namespace eventstore::test

#endif
