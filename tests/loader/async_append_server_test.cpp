// The real eventstored against plugins whose append_async breaks plugin.h's rules
// (tests/fixtures/async_plugin.cpp): the client gets a clear answer in bounded time, the server
// logs what the backend did and keeps serving.
#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "served_eventstored.hpp"

namespace {

using eventstore::test::ServedEventstored;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

std::string fixture(const std::string& name) { return std::string(FIXTURE_DIR) + "/" + name + ".so"; }

// The backend section continues after the plugin line: each call may take 300 ms.
constexpr char kShortBackendTimeout[] = "  timeout_ms: 300";

grpc::Status append_one(ServedEventstored& server, eventstore::v1::AppendResponse& response) {
    auto stub = eventstore::v1::EventStore::NewStub(server.channel());
    eventstore::v1::AppendRequest request;
    request.set_stream_id("orders-1");
    request.add_events()->mutable_metadata()->set_type_name("Placed");
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    return stub->Append(&context, request, &response);
}

TEST(AsyncAppendServer, GivenABackendThatNeverCompletes_WhenAppending_ThenTheClientGetsInternalSoonAfterTheDeadlineAndTheServerLogsIt) {
    ServedEventstored server(fixture("async-never"), kShortBackendTimeout);
    eventstore::v1::AppendResponse response;
    const auto started = std::chrono::steady_clock::now();
    const grpc::Status status = append_one(server, response);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr("outcome is unknown"));
    EXPECT_LT(took, 3s);
    EXPECT_TRUE(server.process().wait_for_log("did not complete an append within its deadline", 5s));
    EXPECT_TRUE(server.healthy());
}

TEST(AsyncAppendServer, GivenABackendThatCompletesTwice_WhenAppending_ThenTheFirstAnswerStandsAndTheSecondIsLogged) {
    ServedEventstored server(fixture("async-twice"), kShortBackendTimeout);
    for (int i = 0; i < 3; ++i) {
        eventstore::v1::AppendResponse response;
        const grpc::Status status = append_one(server, response);
        ASSERT_TRUE(status.ok()) << status.error_message();
        EXPECT_EQ(response.current_version(), 1u);
    }
    EXPECT_TRUE(server.process().wait_for_log("which is not pending", 5s));
    EXPECT_TRUE(server.healthy());
}

}  // namespace
