// Concurrency through the real server: CAS races, gap-free positions, live delivery under load.
#include <algorithm>
#include <mutex>
#include <thread>

#include "cas_race.hpp"
#include "subscriber.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

using ConcurrencyTest = ServerTest;

constexpr int kThreads = 16;

TEST_F(ConcurrencyTest, Given16ThreadsRacingExactV_WhenEachRoundEnds_ThenExactlyOneWonAndLosersSawTheActualVersion) {
    constexpr uint64_t kRounds = 20;
    expect_one_winner_per_round([this](int) { return v1::EventStore::NewStub(channel_); },
                                kThreads, kRounds);
}

TEST_F(ConcurrencyTest, Given16WritersOnDistinctStreams_WhenTheyAppend_ThenPositionsAreGapFreeAndALiveSubscriberGetsEachOnceInOrder) {
    constexpr int kAppendsPerThread = 50;
    constexpr uint64_t kTotal = kThreads * kAppendsPerThread;
    Subscriber subscriber(*stub_, 0);
    ASSERT_TRUE(subscriber.next()->has_caught_up());

    std::mutex mutex;
    std::vector<uint64_t> acknowledged;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto stub = v1::EventStore::NewStub(channel_);
            for (int i = 0; i < kAppendsPerThread; ++i) {
                v1::AppendRequest request;
                request.set_stream_id("Writer-" + std::to_string(t));
                *request.add_events() = make_event();
                v1::AppendResponse response;
                const grpc::Status status =
                    stub->Append(context_with_deadline().get(), request, &response);
                std::lock_guard lock(mutex);
                EXPECT_TRUE(status.ok()) << status.error_message();
                acknowledged.push_back(response.first_global_position());
            }
        });
    }
    for (auto& thread : threads) thread.join();

    std::sort(acknowledged.begin(), acknowledged.end());
    ASSERT_EQ(acknowledged.size(), kTotal);
    for (uint64_t i = 0; i < kTotal; ++i) ASSERT_EQ(acknowledged[i], i + 1) << "gap or duplicate";

    const auto delivered = subscriber.events(kTotal);
    ASSERT_EQ(delivered.size(), kTotal);
    for (uint64_t i = 0; i < kTotal; ++i) ASSERT_EQ(delivered[i].global_position(), i + 1);
    auto extra = subscriber.next(std::chrono::milliseconds(300));
    EXPECT_FALSE(extra && extra->has_event()) << "delivered more than once";
}

}  // namespace
}  // namespace eventstore::test
