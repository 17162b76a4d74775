// Two eventstored processes on one database (issue 4, acceptance 2): appends through A and B
// interleaved reach a subscriber on B once each, in position order, with every acknowledged
// position; expected-version races between clients of A and B have exactly one winner; two
// tenants racing through A and B to create one stream never both get it (issue 23); a stream
// deleted by another process reads as gone through A and B alike (issue 18).
#include <algorithm>
#include <array>
#include <barrier>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "cas_race.hpp"
#include "eventstore/abi_struct.hpp"
#include "eventstore/plugin.h"
#include "pg_test_support.hpp"
#include "security/crypto.hpp"
#include "server_process.hpp"
#include "subscriber.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

class TwoServersTest : public ::testing::Test {
protected:
    TempDir dir_;
    const std::string schema_ = unique_schema("two_servers");  // one store per test
    PostgresServerProcess a_{dir_, schema_};
    PostgresServerProcess b_{dir_, schema_};
};

TEST_F(TwoServersTest, GivenAppendsThroughBothServers_WhenSubscribedOnB_ThenEveryEventOnceInPositionOrder) {
    constexpr int kWriters = 8;
    constexpr int kAppendsPerWriter = 30;
    auto subscriber_stub = b_.stub();
    Subscriber subscriber(*subscriber_stub, 0);
    const auto first = subscriber.next();
    ASSERT_TRUE(first && first->has_caught_up());

    std::mutex mutex;
    std::vector<uint64_t> acknowledged;
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&, w] {
            auto stub = (w % 2 == 0 ? a_ : b_).stub();
            for (int i = 0; i < kAppendsPerWriter; ++i) {
                v1::AppendRequest request;
                request.set_stream_id("Writer-" + std::to_string(w));
                for (int e = 0; e <= i % 3; ++e) *request.add_events() = make_event();
                v1::AppendResponse response;
                const grpc::Status status =
                    stub->Append(context_with_deadline().get(), request, &response);
                std::lock_guard lock(mutex);
                EXPECT_TRUE(status.ok()) << status.error_message();
                for (uint64_t p = response.first_global_position();
                     status.ok() && p <= response.last_global_position(); ++p) {
                    acknowledged.push_back(p);
                }
            }
        });
    }
    for (auto& writer : writers) writer.join();
    std::sort(acknowledged.begin(), acknowledged.end());
    ASSERT_EQ(std::adjacent_find(acknowledged.begin(), acknowledged.end()), acknowledged.end())
        << "a position was acknowledged twice";

    const auto delivered = subscriber.events(acknowledged.size());
    ASSERT_EQ(delivered.size(), acknowledged.size());
    for (size_t i = 0; i < delivered.size(); ++i) {
        ASSERT_EQ(delivered[i].global_position(), acknowledged[i]) << "delivery " << i;
    }
    const auto extra = subscriber.next(300ms);
    EXPECT_FALSE(extra && extra->has_event()) << "delivered more than once";
}

TEST_F(TwoServersTest, GivenClientsOfAAndBRacingOnOneStream_WhenEachExpectsTheSameVersion_ThenExactlyOneWinsEachRound) {
    constexpr int kRacers = 6;
    constexpr uint64_t kRounds = 15;
    expect_one_winner_per_round([this](int racer) { return (racer % 2 == 0 ? a_ : b_).stub(); },
                                kRacers, kRounds);
}

// The stream ids ReadAll returns through `server`, from the start of the log, and whether it
// reached the head past every position up to `head`.
std::vector<std::string> read_all_streams(PostgresServerProcess& server, uint64_t head) {
    v1::ReadAllRequest request;
    request.set_max_count(100);
    v1::ReadAllResponse response;
    const grpc::Status status =
        server.stub()->ReadAll(context_with_deadline().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_GE(response.last_scanned_position(), head) << "the removed positions are covered";
    std::vector<std::string> streams;
    for (const auto& event : response.events()) streams.push_back(event.stream_id());
    return streams;
}

TEST_F(TwoServersTest, GivenAStreamDeletedThroughAnotherProcess_WhenReadThroughAAndB_ThenBothSeeItGone) {
    // The delete goes through a store of this test process on the same schema, a third server
    // as far as A and B can tell: each reads the database, so none can disagree.
    auto stub_a = a_.stub();
    auto stub_b = b_.stub();
    v1::AppendRequest doomed;
    doomed.set_stream_id("Doomed-1");
    for (int e = 0; e < 3; ++e) *doomed.add_events() = make_event();
    v1::AppendResponse appended;
    ASSERT_TRUE(stub_a->Append(context_with_deadline().get(), doomed, &appended).ok());
    v1::AppendRequest kept;
    kept.set_stream_id("Kept-1");
    *kept.add_events() = make_event();
    ASSERT_TRUE(stub_b->Append(context_with_deadline().get(), kept, &appended).ok());
    const uint64_t head = appended.last_global_position();
    for (PostgresServerProcess* server : {&a_, &b_}) {  // both have read the stream once
        EXPECT_EQ(read_all_streams(*server, head).size(), 4u);
    }

    auto deleter = open_store({{"schema", schema_}});
    ASSERT_TRUE(deleter.ok()) << deleter.status().message();
    es_stream_state state = abi::make_struct<es_stream_state>();
    ASSERT_TRUE(deleter.value()->change_stream(stream_change(ES_CHANGE_DELETE, "Doomed-1"), state).ok());

    for (PostgresServerProcess* server : {&a_, &b_}) {
        v1::ReadStreamRequest read;
        read.set_stream_id("Doomed-1");
        read.set_forward(true);
        v1::ReadStreamResponse events;
        EXPECT_EQ(server->stub()->ReadStream(context_with_deadline().get(), read, &events).error_code(),
                  grpc::StatusCode::NOT_FOUND);
        EXPECT_EQ(read_all_streams(*server, head), std::vector<std::string>{"Kept-1"});
    }
    v1::AppendRequest again;
    again.set_stream_id("Doomed-1");
    again.mutable_expected_version()->mutable_no_stream();
    *again.add_events() = make_event();
    EXPECT_EQ(stub_b->Append(context_with_deadline().get(), again, &appended).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION)
        << "the versions go on after a delete";
    again.mutable_expected_version()->set_exact(3);
    ASSERT_TRUE(stub_a->Append(context_with_deadline().get(), again, &appended).ok());
    EXPECT_EQ(appended.current_version(), 4u);
}

const std::string kAcme = "acme-token";
const std::string kGlobex = "globex-token";
const std::string kOperator = "operator-token";

// Auth on, with two tenants sharing the prefix `orders-` and an operator without a tenant.
std::string auth_with_two_tenants() {
    std::string auth = "auth:\n  enabled: true\n  tokens:\n";
    for (const auto& [name, token, tenant] :
         std::array<std::array<std::string, 3>, 3>{{{"acme", kAcme, "acme"},
                                                     {"globex", kGlobex, "globex"},
                                                     {"operator", kOperator, ""}}}) {
        auth += "    - {name: " + name + ", sha256: " + server::sha256_hex(token) +
                ", permissions: [read, write], stream_prefixes: [\"" +
                (tenant.empty() ? "" : "orders-") + "\"]" +
                (tenant.empty() ? "" : ", tenant: " + tenant) + "}\n";
    }
    return auth;
}

std::unique_ptr<grpc::ClientContext> as(const std::string& token) {
    auto context = context_with_deadline();
    context->AddMetadata("authorization", "Bearer " + token);
    return context;
}

class TwoServersOwnersTest : public ::testing::Test {
protected:
    TempDir dir_;
    const std::string schema_ = unique_schema("two_servers_owners");
    PostgresServerProcess a_{dir_, schema_, "", "", 0, auth_with_two_tenants()};
    PostgresServerProcess b_{dir_, schema_, "", "", 0, auth_with_two_tenants()};
};

TEST_F(TwoServersOwnersTest, GivenTenantsOfAAndBRacingToCreateStreams_ThenEachStreamHasOneOwner) {
    // The plugin checks owners itself (ABI 1.3 and later; it answers the header's minor): no
    // loader fallback read.
    EXPECT_NE(a_.process().log().find("(ABI 1." + std::to_string(ES_PLUGIN_ABI_MINOR) + ", "),
              std::string::npos)
        << a_.process().log();
    constexpr int kStreams = 20;
    const std::array<std::string, 2> tokens{kAcme, kGlobex};
    const std::array<std::unique_ptr<v1::EventStore::Stub>, 2> stubs{a_.stub(), b_.stub()};
    for (int i = 0; i < kStreams; ++i) {
        const std::string stream = "orders-race-" + std::to_string(i);
        std::barrier start(2);
        std::array<grpc::Status, 2> outcomes;
        std::vector<std::thread> racers;
        for (size_t r = 0; r < 2; ++r) {
            racers.emplace_back([&, r] {
                v1::AppendRequest request;
                request.set_stream_id(stream);
                for (int e = 0; e < 2; ++e) *request.add_events() = make_event();
                v1::AppendResponse response;
                start.arrive_and_wait();
                outcomes[r] = stubs[r]->Append(as(tokens[r]).get(), request, &response);
            });
        }
        for (auto& racer : racers) racer.join();
        const int won = int{outcomes[0].ok()} + int{outcomes[1].ok()};
        EXPECT_EQ(won, 1) << stream;
        for (const grpc::Status& outcome : outcomes) {
            if (!outcome.ok()) {
                EXPECT_EQ(outcome.error_code(), grpc::StatusCode::PERMISSION_DENIED) << stream;
            }
        }
        v1::ReadStreamRequest read;
        read.set_stream_id(stream);
        read.set_forward(true);
        v1::ReadStreamResponse events;
        ASSERT_TRUE(stubs[i % 2]->ReadStream(as(kOperator).get(), read, &events).ok()) << stream;
        ASSERT_EQ(events.events_size(), 2) << stream;
        const std::string owner = events.events(0).metadata().tenant_id();
        EXPECT_EQ(events.events(1).metadata().tenant_id(), owner) << stream;
        EXPECT_EQ(owner, outcomes[0].ok() ? "acme" : "globex") << stream;
    }
}

}  // namespace
}  // namespace eventstore::test
