// Deadlines through eventstored (issue 9: "deadlines on every backend call"): the server hands
// every backend call the client's deadline or backend.timeout_ms, whichever ends first, and the
// postgres backend gives up at it. Shown with the events table locked by the test: each call ends
// at its deadline, the server stops waiting in the database, and nothing is written.
#include <gtest/gtest.h>

#include "pg_test_support.hpp"
#include "server_process.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A context with no deadline: only the server's backend.timeout_ms can end the call.
std::unique_ptr<grpc::ClientContext> without_deadline() {
    return std::make_unique<grpc::ClientContext>();
}

v1::AppendRequest one_event(const std::string& stream) {
    v1::AppendRequest request;
    request.set_stream_id(stream);
    *request.add_events() = make_event();
    return request;
}

void expect_server_deadline(const grpc::Status& status, Clock::time_point started) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
    EXPECT_NE(status.error_message().find("deadline passed"), std::string::npos)
        << status.error_message();
    const auto took = Clock::now() - started;
    EXPECT_GE(took, 550ms);
    EXPECT_LT(took, 3s);
}

size_t events_stored(v1::EventStore::Stub& stub) {
    v1::ReadAllRequest request;
    request.set_max_count(1000);
    v1::ReadAllResponse response;
    const grpc::Status status = stub.ReadAll(context_with_deadline().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return static_cast<size_t>(response.events_size());
}

TEST(ServerDeadlineTest, GivenALockedDatabase_WhenCallsCarryNoDeadline_ThenBackendTimeoutEndsEachWithDeadlineExceeded) {
    TempDir dir;
    const std::string schema = unique_schema("server_deadline");
    PostgresServerProcess server(dir, schema, "", "  timeout_ms: 600\n");
    auto stub = server.stub();
    LockHolder lock(table_lock(schema));

    v1::AppendResponse appended;
    auto started = Clock::now();
    expect_server_deadline(stub->Append(without_deadline().get(), one_event("Late"), &appended),
                           started);

    v1::ReadStreamRequest by_stream;
    by_stream.set_stream_id("Late");
    by_stream.set_forward(true);
    v1::ReadStreamResponse stream_page;
    started = Clock::now();
    expect_server_deadline(stub->ReadStream(without_deadline().get(), by_stream, &stream_page),
                           started);

    v1::ReadAllResponse all_page;
    started = Clock::now();
    expect_server_deadline(stub->ReadAll(without_deadline().get(), v1::ReadAllRequest(), &all_page),
                           started);

    auto context = without_deadline();
    started = Clock::now();
    auto subscription = stub->Subscribe(context.get(), v1::SubscribeRequest());
    v1::SubscribeResponse message;
    while (subscription->Read(&message)) {
    }
    expect_server_deadline(subscription->Finish(), started);

    lock.release();
    EXPECT_EQ(events_stored(*stub), 0u) << "an append that timed out was written";
}

TEST(ServerDeadlineTest, GivenALockedDatabase_WhenTheClientsDeadlinePasses_ThenTheServerStopsWaitingAndWritesNothing) {
    TempDir dir;
    const std::string schema = unique_schema("client_deadline");
    PostgresServerProcess server(dir, schema);  // backend.timeout_ms: the default 30 s
    auto stub = server.stub();
    LockHolder lock(head_lock(schema));

    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 500ms);
    v1::AppendResponse appended;
    const grpc::Status status = stub->Append(&context, one_event("Late"), &appended);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
    // The client's deadline reached the database: the server's statement is cancelled there,
    // not left waiting for the lock until the 30 s backend timeout.
    EXPECT_TRUE(eventually_lock_waiters(0)) << "eventstored still waits for the lock";

    lock.release();
    EXPECT_EQ(events_stored(*stub), 0u) << "an append the client gave up on was written later";
}

}  // namespace
}  // namespace eventstore::test
