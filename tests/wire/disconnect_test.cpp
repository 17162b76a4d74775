// Clients that vanish in the middle of a call: killed with SIGKILL (wire_client) while they
// subscribe, stall a subscription or read pages, or cancelling their calls. The server must end
// those calls, serve on, and still stop well within its shutdown grace, 60 s here: a call it had
// lost track of would hold its exit for that long.
#include <csignal>
#include <thread>

#include <boost/process.hpp>
#include <gtest/gtest.h>

#include "wire_fixture.hpp"

namespace eventstore::test {
namespace {

namespace bp = boost::process;
using namespace std::chrono_literals;

// A wire_client process, ready once it has printed "ready".
class Client {
public:
    Client(const std::string& mode, const std::string& address)
        : child_(bp::exe = WIRE_CLIENT_PATH, bp::args = {mode, address}, bp::std_out > out_,
                 bp::std_in < bp::null) {}
    ~Client() {
        std::error_code ec;
        child_.terminate(ec);
        child_.wait(ec);
    }
    bool wait_ready() {
        std::string line;
        return std::getline(out_, line) && line == "ready";
    }
    void kill() {
        child_.terminate();  // SIGKILL
        child_.wait();
    }

private:
    bp::ipstream out_;
    bp::child child_;
};

TEST_F(WireTest, GivenClientsKilledMidSubscribeAndMidReadAll_WhenTheyVanish_ThenTheServerServesOnAndStopsPromptly) {
    // Enough history that a stalled subscriber fills gRPC's flow-control window and the server's
    // writer blocks, and that ReadAll pages are large.
    append("history", 400, 16 * 1024);
    std::vector<std::unique_ptr<Client>> clients;
    for (const char* mode : {"subscribe", "subscribe", "stall", "stall", "read-all", "read-all"}) {
        clients.push_back(std::make_unique<Client>(mode, server_->address()));
    }
    for (auto& client : clients) ASSERT_TRUE(client->wait_ready());
    append("live", 100, 16 * 1024);
    for (auto& client : clients) client->kill();

    expect_serving();
    auto subscribe_context = context();
    auto reader = stub_->Subscribe(subscribe_context.get(), v1::SubscribeRequest());
    v1::SubscribeResponse message;
    ASSERT_TRUE(reader->Read(&message));
    EXPECT_EQ(message.event().global_position(), 1u);
    subscribe_context->TryCancel();
    reader->Finish();

    const auto stop_started = std::chrono::steady_clock::now();
    server_->process().signal(SIGTERM);
    EXPECT_EQ(server_->process().wait_for_exit(20s), std::optional<int>(0))
        << server_->process().log();
    // Half the grace: a call held to the end of the grace fails this. After clients vanished the
    // stop sometimes takes about 10 s instead of milliseconds (seen in about 1 run in 3, with
    // and without ASan; docs/testing.md).
    EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 30s)
        << "a call of a killed client held the shutdown";
}

TEST_F(WireTest, GivenCallsCancelledOrTimedOutMidStream_WhenTheClientGivesUp_ThenCancelledOrDeadlineExceededAndTheServerServesOn) {
    append("S", 200, 16 * 1024);

    auto cancelled = context();
    auto reader = stub_->Subscribe(cancelled.get(), v1::SubscribeRequest());
    v1::SubscribeResponse message;
    ASSERT_TRUE(reader->Read(&message));
    cancelled->TryCancel();
    while (reader->Read(&message)) {
    }
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);

    // A live subscription past its deadline, waiting at the head.
    grpc::ClientContext timed;
    timed.set_deadline(std::chrono::system_clock::now() + 500ms);
    v1::SubscribeRequest at_head;
    at_head.set_after_global_position(UINT64_MAX - 1);
    auto timed_reader = stub_->Subscribe(&timed, at_head);
    while (timed_reader->Read(&message)) {
    }
    EXPECT_EQ(timed_reader->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);

    // ReadAll of large pages, cancelled from another thread while responses are in flight.
    for (int round = 0; round < 20; ++round) {
        grpc::ClientContext read_context;
        v1::ReadAllRequest request;
        request.set_max_count(UINT32_MAX);
        v1::ReadAllResponse page;
        std::thread canceller([&] { read_context.TryCancel(); });
        const grpc::Status status = stub_->ReadAll(&read_context, request, &page);
        canceller.join();
        EXPECT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::CANCELLED)
            << status.error_code() << " " << status.error_message();
    }
    expect_serving();
}

}  // namespace
}  // namespace eventstore::test
