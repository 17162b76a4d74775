#include "cas_race.hpp"

#include <barrier>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_server.hpp"

namespace eventstore::test {

void expect_one_winner_per_round(const RacerStub& stub_for, int racers, uint64_t rounds,
                                 const std::string& stream) {
    std::barrier round_start(racers);
    std::mutex mutex;
    std::vector<int> winners(rounds, 0);
    std::vector<std::string> problems;
    std::vector<std::thread> threads;
    for (int r = 0; r < racers; ++r) {
        threads.emplace_back([&, r] {
            auto stub = stub_for(r);
            for (uint64_t v = 0; v < rounds; ++v) {
                round_start.arrive_and_wait();
                v1::AppendRequest request;
                request.set_stream_id(stream);
                request.mutable_expected_version()->set_exact(v);
                *request.add_events() = make_event("Raced", std::to_string(r));
                v1::AppendResponse response;
                const grpc::Status status =
                    stub->Append(context_with_deadline().get(), request, &response);
                {
                    std::lock_guard lock(mutex);
                    if (status.ok()) {
                        ++winners[v];
                        if (response.current_version() != v + 1) {
                            problems.push_back("the winner of round " + std::to_string(v) +
                                               " got version " +
                                               std::to_string(response.current_version()));
                        }
                    } else if (status.error_code() != grpc::StatusCode::FAILED_PRECONDITION) {
                        problems.push_back("unexpected status " + status.error_message());
                    } else if (const uint64_t actual =
                                   wrong_expected_version(status).actual_version();
                               actual != v + 1) {
                        problems.push_back("a loser of round " + std::to_string(v) +
                                           " saw version " + std::to_string(actual));
                    }
                }
                round_start.arrive_and_wait();
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front());
    for (uint64_t v = 0; v < rounds; ++v) EXPECT_EQ(winners[v], 1) << "round " << v;
    const auto events = whole_stream(*stub_for(0), stream);
    ASSERT_EQ(events.size(), rounds);
    for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].stream_version(), i + 1);
}

}  // namespace eventstore::test
