// Tenant-owned streams through the real eventstored binary (docs/security.md, "Tenants"): two
// tenants whose tokens share the stream prefix `orders-`, and an operator without a tenant. A
// stream belongs to the tenant of its first event: the other tenant cannot append to it with any
// expected version, reads it as not found, never sees its events in ReadAll or Subscribe (catch-up
// and live), and no answer carries its version. Run against the memory plugin of this ABI (the
// plugin checks owners) and against its ABI 1.0 build (the loader checks them around it).
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "process_support.hpp"
#include "security/crypto.hpp"
#include "subscriber.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

const std::string kAcme = "acme-token";
const std::string kGlobex = "globex-token";
const std::string kOperator = "operator-token";

std::string token_entry(const std::string& name, const std::string& token, const std::string& prefix,
                        const std::string& tenant) {
    return "    - {name: " + name + ", sha256: " + server::sha256_hex(token) +
           ", permissions: [read, write], stream_prefixes: [\"" + prefix + "\"]" +
           (tenant.empty() ? "" : ", tenant: " + tenant) + "}\n";
}

class TenantIsolationTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        const uint16_t port = free_port();
        const auto config = dir_.write(
            "eventstore.yaml",
            "listen: 127.0.0.1:" + std::to_string(port) + "\nbackend:\n  plugin: " + GetParam() +
                "\nauth:\n  enabled: true\n  tokens:\n" +
                token_entry("acme", kAcme, "orders-", "acme") +
                token_entry("globex", kGlobex, "orders-", "globex") +
                token_entry("operator", kOperator, "", ""));
        process_ = std::make_unique<EventstoredProcess>(
            std::vector<std::string>{"--config", config.string()}, dir_);
        ASSERT_TRUE(process_->wait_for_log("listening on", 20s)) << process_->log();
        channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                       grpc::InsecureChannelCredentials());
        stub_ = v1::EventStore::NewStub(channel_);
    }

    static std::unique_ptr<grpc::ClientContext> as(const std::string& token) {
        auto context = context_with_deadline();
        context->AddMetadata("authorization", "Bearer " + token);
        return context;
    }

    grpc::Status append_as(const std::string& token, const std::string& stream,
                           const v1::ExpectedVersion& expected = {}, int count = 1) {
        v1::AppendRequest request;
        request.set_stream_id(stream);
        *request.mutable_expected_version() = expected;
        for (int i = 0; i < count; ++i) *request.add_events() = make_event();
        v1::AppendResponse response;
        return stub_->Append(as(token).get(), request, &response);
    }

    grpc::Status read_stream_as(const std::string& token, const std::string& stream, bool forward,
                                v1::ReadStreamResponse* response) {
        v1::ReadStreamRequest request;
        request.set_stream_id(stream);
        request.set_forward(forward);
        return stub_->ReadStream(as(token).get(), request, response);
    }

    std::vector<v1::RecordedEvent> read_all_as(const std::string& token) {
        v1::ReadAllRequest request;
        v1::ReadAllResponse response;
        const grpc::Status status = stub_->ReadAll(as(token).get(), request, &response);
        EXPECT_TRUE(status.ok()) << status.error_message();
        return {response.events().begin(), response.events().end()};
    }

    static std::map<std::string, std::string> bearer(const std::string& token) {
        return {{"authorization", "Bearer " + token}};
    }

    // The stream ids and tenants of `events`, as "stream/tenant".
    static std::vector<std::string> owners(const std::vector<v1::RecordedEvent>& events) {
        std::vector<std::string> out;
        for (const auto& event : events) out.push_back(event.stream_id() + "/" + event.metadata().tenant_id());
        return out;
    }

    TempDir dir_;
    std::unique_ptr<EventstoredProcess> process_;
    std::shared_ptr<grpc::Channel> channel_;
    std::unique_ptr<v1::EventStore::Stub> stub_;
};

TEST_P(TenantIsolationTest, GivenAStreamOfAcme_WhenGlobexAppendsWithEveryExpectedVersion_ThenTheSameRefusalAndNothingWritten) {
    ASSERT_TRUE(append_as(kAcme, "orders-1", expect_no_stream(), 3).ok());
    const std::string refusal = "stream 'orders-1' belongs to another tenant";
    for (const v1::ExpectedVersion& expected :
         {expect_any(), expect_no_stream(), expect_stream_exists(), expect_exact(3), expect_exact(0),
          expect_exact(7)}) {
        const grpc::Status status = append_as(kGlobex, "orders-1", expected);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << expected.DebugString();
        EXPECT_EQ(status.error_message(), refusal) << expected.DebugString();
        EXPECT_TRUE(status.error_details().empty()) << "a detail such as WrongExpectedVersion";
    }
    EXPECT_EQ(owners(read_all_as(kOperator)),
              (std::vector<std::string>{"orders-1/acme", "orders-1/acme", "orders-1/acme"}));
    // The owner's own concurrency check still sees only its own version.
    const grpc::Status conflict = append_as(kAcme, "orders-1", expect_exact(1));
    ASSERT_EQ(conflict.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(wrong_expected_version(conflict).actual_version(), 3u);
    EXPECT_TRUE(append_as(kAcme, "orders-1", expect_exact(3)).ok());
}

TEST_P(TenantIsolationTest, GivenAStreamOfAcme_WhenGlobexReadsIt_ThenNotFoundExactlyAsForAMissingStream) {
    ASSERT_TRUE(append_as(kAcme, "orders-1").ok());
    v1::ReadStreamResponse missing;
    const grpc::Status absent = read_stream_as(kGlobex, "orders-2", true, &missing);
    ASSERT_EQ(absent.error_code(), grpc::StatusCode::NOT_FOUND);
    for (const bool forward : {true, false}) {
        v1::ReadStreamResponse response;
        const grpc::Status status = read_stream_as(kGlobex, "orders-1", forward, &response);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
        EXPECT_EQ(status.error_message(), "stream 'orders-1' not found");
        EXPECT_EQ(absent.error_message(), "stream 'orders-2' not found");
        EXPECT_EQ(response.events_size(), 0);
    }
    v1::ReadStreamResponse own;
    ASSERT_TRUE(read_stream_as(kAcme, "orders-1", true, &own).ok());
    EXPECT_EQ(own.events_size(), 1);
}

TEST_P(TenantIsolationTest, GivenBothTenantsWrite_WhenEachReadsAllAndSubscribes_ThenEachSeesOnlyItsOwnAndTheOperatorBoth) {
    ASSERT_TRUE(append_as(kAcme, "orders-a").ok());
    ASSERT_TRUE(append_as(kGlobex, "orders-g").ok());
    EXPECT_EQ(owners(read_all_as(kAcme)), (std::vector<std::string>{"orders-a/acme"}));
    EXPECT_EQ(owners(read_all_as(kGlobex)), (std::vector<std::string>{"orders-g/globex"}));
    EXPECT_EQ(owners(read_all_as(kOperator)),
              (std::vector<std::string>{"orders-a/acme", "orders-g/globex"}));

    Subscriber acme(*stub_, 0, "", bearer(kAcme));
    Subscriber globex(*stub_, 0, "orders-", bearer(kGlobex));
    Subscriber operator_(*stub_, 0, "", bearer(kOperator));
    EXPECT_EQ(owners(acme.events(1)), (std::vector<std::string>{"orders-a/acme"}));      // catch-up
    EXPECT_EQ(owners(globex.events(1)), (std::vector<std::string>{"orders-g/globex"}));
    EXPECT_EQ(owners(operator_.events(2)),
              (std::vector<std::string>{"orders-a/acme", "orders-g/globex"}));
    ASSERT_TRUE(append_as(kGlobex, "orders-g").ok());                                   // live
    ASSERT_TRUE(append_as(kAcme, "orders-a").ok());
    EXPECT_EQ(owners(acme.events(1)), (std::vector<std::string>{"orders-a/acme"}));
    EXPECT_EQ(owners(globex.events(1)), (std::vector<std::string>{"orders-g/globex"}));
    EXPECT_EQ(owners(operator_.events(2)),
              (std::vector<std::string>{"orders-g/globex", "orders-a/acme"}));
    v1::ReadStreamResponse response;
    ASSERT_TRUE(read_stream_as(kOperator, "orders-g", true, &response).ok());
    EXPECT_EQ(response.events_size(), 2);
}

TEST_P(TenantIsolationTest, GivenTwoTenantsRacingToCreateAStream_WhenBothAppend_ThenOneOwnsItAndTheOtherWroteNothing) {
    constexpr int kRounds = 20;
    for (int round = 0; round < kRounds; ++round) {
        const std::string stream = "orders-race-" + std::to_string(round);
        std::atomic<int> ok{0};
        std::vector<std::thread> racers;
        for (const std::string& token : {kAcme, kGlobex}) {
            racers.emplace_back([&, token] {
                const grpc::Status status = append_as(token, stream, expect_any(), 2);
                if (status.ok()) {
                    ++ok;
                } else {
                    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
                        << status.error_message();
                }
            });
        }
        for (auto& racer : racers) racer.join();
        EXPECT_EQ(ok.load(), 1) << stream;
        v1::ReadStreamResponse response;
        ASSERT_TRUE(read_stream_as(kOperator, stream, true, &response).ok());
        ASSERT_EQ(response.events_size(), 2) << stream;
        EXPECT_EQ(response.events(0).metadata().tenant_id(), response.events(1).metadata().tenant_id());
    }
}

TEST_P(TenantIsolationTest, GivenAStreamAnOperatorStartedWithoutATenant_WhenATenantTouchesIt_ThenRefusedAndNotFound) {
    ASSERT_TRUE(append_as(kOperator, "orders-shared").ok());
    EXPECT_EQ(append_as(kAcme, "orders-shared").error_code(), grpc::StatusCode::PERMISSION_DENIED);
    v1::ReadStreamResponse response;
    EXPECT_EQ(read_stream_as(kAcme, "orders-shared", true, &response).error_code(),
              grpc::StatusCode::NOT_FOUND);
    EXPECT_TRUE(append_as(kOperator, "orders-shared").ok());
}

TEST_P(TenantIsolationTest, GivenAnEventIdOfAcme_WhenGlobexReusesIt_ThenAlreadyExistsNamingNothingOfAcme) {
    v1::AppendRequest request;
    request.set_stream_id("orders-a");
    *request.add_events() = make_event();
    v1::AppendResponse response;
    ASSERT_TRUE(stub_->Append(as(kAcme).get(), request, &response).ok());
    request.set_stream_id("orders-g");
    const grpc::Status status = stub_->Append(as(kGlobex).get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
    EXPECT_EQ(status.error_message().find("orders-a"), std::string::npos) << status.error_message();
    EXPECT_EQ(status.error_message().find("version"), std::string::npos) << status.error_message();
    EXPECT_EQ(status.error_message().find("position"), std::string::npos) << status.error_message();
    EXPECT_EQ(owners(read_all_as(kGlobex)), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Plugins, TenantIsolationTest,
                         ::testing::Values(std::string(MEMORY_PLUGIN_PATH),
                                           std::string(MEMORY_ABI_1_0_PLUGIN_PATH)),
                         [](const auto& info) { return info.index == 0 ? "Abi13" : "Abi10Fallback"; });

}  // namespace
}  // namespace eventstore::test
