// docs/contract.md "Terms": global_position is 1-based and strictly increasing across the whole store,
// assigned when the append commits (gaps allowed, reordering not). "Append" returns the first and
// last position written. Checked sequentially across streams, inside a batch, and under
// --writers concurrent writers.
#include <algorithm>
#include <map>
#include <mutex>

#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

struct Appended {
    std::vector<EventData> events;
    AppendOutcome outcome;
};

// Success when every append's events were read back at increasing positions from its reported
// first to its reported last position.
::testing::AssertionResult ReportedPositionsMatch(const std::vector<Appended>& appends,
                                                  const std::vector<RecordedEvent>& read) {
    std::map<std::string, uint64_t> position_of;
    for (const auto& event : read) position_of[event.data.event_id] = event.global_position;
    for (const Appended& append : appends) {
        std::vector<uint64_t> positions;
        for (const auto& event : append.events) {
            const auto found = position_of.find(event.event_id);
            if (found == position_of.end()) {
                return ::testing::AssertionFailure() << "event " << event.event_id
                                                     << " was acknowledged but read_all lacks it";
            }
            positions.push_back(found->second);
        }
        const bool increasing = std::adjacent_find(positions.begin(), positions.end(),
                                                   std::greater_equal<>()) == positions.end();
        if (!increasing || positions.front() != append.outcome.first_position ||
            positions.back() != append.outcome.last_position) {
            return ::testing::AssertionFailure()
                   << "an append of " << positions.size() << " events reported positions "
                   << append.outcome.first_position << ".." << append.outcome.last_position
                   << ", its events were read at " << positions.front() << ".."
                   << positions.back() << (increasing ? "" : ", not increasing");
        }
    }
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult StrictlyIncreasing(const std::vector<RecordedEvent>& read) {
    for (size_t i = 1; i < read.size(); ++i) {
        if (read[i].global_position <= read[i - 1].global_position) {
            return ::testing::AssertionFailure()
                   << "read_all returned position " << read[i].global_position << " after "
                   << read[i - 1].global_position << " (events " << i - 1 << " and " << i << ")";
        }
    }
    return ::testing::AssertionSuccess();
}

using Positions = ConformanceTest;

TEST_F(Positions, SequentialAppendsGetIncreasingPositionsInCommitOrder) {
    std::vector<Appended> appends;
    std::vector<std::string> commit_order;
    for (int i = 0; i < 12; ++i) {
        Appended append{make_events(1 + i % 3), {}};
        append.outcome = append_ok(stream("s" + std::to_string(i % 3)), append.events);
        ASSERT_TRUE(append.outcome.status.ok());
        ASSERT_GE(append.outcome.first_position, 1u) << "positions are 1-based";
        if (!appends.empty()) {
            ASSERT_GT(append.outcome.first_position, appends.back().outcome.last_position)
                << "append " << i << " must come after append " << i - 1;
        }
        for (const auto& id : ids_of(append.events)) commit_order.push_back(id);
        appends.push_back(std::move(append));
    }
    const std::vector<RecordedEvent> read = whole_namespace();
    EXPECT_TRUE(SameIds(commit_order, ids_of(read))) << "read_all must follow commit order";
    EXPECT_TRUE(StrictlyIncreasing(read));
    EXPECT_TRUE(ReportedPositionsMatch(appends, read));
}

TEST_F(Positions, BatchPositionsIncreaseWithStreamVersion) {
    append_ok(stream("other"), make_events(2));
    const std::string s = stream("batch");
    const Appended append{make_events(10), {}};
    const AppendOutcome outcome = append_ok(s, append.events);
    const std::vector<RecordedEvent> read = whole_stream(s);
    ASSERT_EQ(read.size(), 10u);
    EXPECT_TRUE(StrictlyIncreasing(read)) << "within one batch, in version order";
    EXPECT_TRUE(ReportedPositionsMatch({{append.events, outcome}}, read));
}

TEST_F(Positions, ConcurrentWritersGetUniqueIncreasingPositions) {
    constexpr int kAppendsPerWriter = 40;
    std::mutex mutex;
    std::vector<Appended> appends;
    run_threads(subject().writers, [&](int writer) {
        uint64_t previous_last = 0;
        for (int i = 0; i < kAppendsPerWriter; ++i) {
            // Own streams and one shared stream, so writers contend on both.
            const std::string s = i % 4 == 0 ? stream("shared") : stream("w" + std::to_string(writer));
            Appended append{make_events(1 + i % 2), {}};
            append.outcome = backend().append(s, Expected::any(), append.events);
            ASSERT_TRUE(IsOk(append.outcome.status));
            ASSERT_GT(append.outcome.first_position, previous_last)
                << "a writer's later append must get a higher position";
            previous_last = append.outcome.last_position;
            std::lock_guard lock(mutex);
            appends.push_back(std::move(append));
        }
    });
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (const auto& append : appends) {
        ranges.emplace_back(append.outcome.first_position, append.outcome.last_position);
    }
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i) {
        ASSERT_GT(ranges[i].first, ranges[i - 1].second)
            << "two appends reported overlapping positions " << ranges[i - 1].first << ".."
            << ranges[i - 1].second << " and " << ranges[i].first << ".." << ranges[i].second;
    }
    const std::vector<RecordedEvent> read = whole_namespace();
    EXPECT_TRUE(StrictlyIncreasing(read));
    EXPECT_TRUE(ReportedPositionsMatch(appends, read));
}

}  // namespace
}  // namespace eventstore::conformance
