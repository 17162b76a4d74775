// Two eventstored processes on one database (issue 4, acceptance 2): appends through A and B
// interleaved reach a subscriber on B once each, in position order, with every acknowledged
// position; expected-version races between clients of A and B have exactly one winner.
#include <algorithm>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "cas_race.hpp"
#include "pg_test_support.hpp"
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

}  // namespace
}  // namespace eventstore::test
