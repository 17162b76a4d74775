// docs/contract.md "Append" under contention: optimistic concurrency holds when T writers (--writers)
// race the same expected version. Every round, each writer appends its own event expecting the
// same version; a barrier starts the round for all at once. Exactly one may win, each loser must
// be told the version the winner made, and the stream must hold every winner once, in order.
#include <barrier>
#include <functional>

#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

constexpr int kExactRounds = 100;
constexpr int kNoStreamRounds = 50;

class CasRace : public ConformanceTest {
protected:
    struct Race {
        std::vector<std::vector<EventData>> events;       // [round][writer]
        std::vector<std::vector<AppendOutcome>> outcomes;  // [round][writer]
    };

    // Runs `rounds` rounds; in round r every writer appends one event to stream_of(r) expecting
    // expected_of(r).
    Race race(int rounds, const std::function<std::string(int)>& stream_of,
              const std::function<Expected(int)>& expected_of) {
        const int writers = subject().writers;
        Race race;
        race.events.resize(rounds);
        race.outcomes.assign(rounds, std::vector<AppendOutcome>(writers));
        for (auto& round : race.events) round = make_events(writers);
        std::barrier start(writers);
        run_threads(writers, [&](int writer) {
            for (int r = 0; r < rounds; ++r) {
                start.arrive_and_wait();
                race.outcomes[r][writer] =
                    backend().append(stream_of(r), expected_of(r), {race.events[r][writer]});
            }
        });
        return race;
    }

    // The writer that won round r; fails unless exactly one won, at version `version`, and every
    // other writer got FAILED_PRECONDITION reporting that version.
    static ::testing::AssertionResult OneWinner(const Race& race, int r, uint64_t version,
                                                int* winner) {
        std::vector<int> winners;
        const auto& outcomes = race.outcomes[r];
        for (int w = 0; w < static_cast<int>(outcomes.size()); ++w) {
            if (outcomes[w].status.ok()) winners.push_back(w);
        }
        if (winners.size() != 1) {
            return ::testing::AssertionFailure() << "round " << r << ": " << winners.size()
                                                 << " writers won the race for version " << version;
        }
        *winner = winners.front();
        if (outcomes[*winner].current_version != version) {
            return ::testing::AssertionFailure() << "round " << r << ": the winner got version "
                                                 << outcomes[*winner].current_version
                                                 << ", expected " << version;
        }
        for (int w = 0; w < static_cast<int>(outcomes.size()); ++w) {
            if (w == *winner) continue;
            if (auto refused = HasCode(outcomes[w].status, Code::failed_precondition); !refused) {
                return refused << " for a loser of round " << r;
            }
            if (outcomes[w].actual_version != std::optional<uint64_t>(version)) {
                return ::testing::AssertionFailure()
                       << "round " << r << ": a loser was told the actual version is "
                       << (outcomes[w].actual_version ? std::to_string(*outcomes[w].actual_version)
                                                      : std::string("(not reported)"))
                       << ", the winner made " << version;
            }
        }
        return ::testing::AssertionSuccess();
    }

    Race exact_race(const std::string& stream_id) {
        return race(
            kExactRounds, [&](int) { return stream_id; },
            [](int r) { return Expected::exact(static_cast<uint64_t>(r)); });
    }
};

TEST_F(CasRace, ExactRaceHasExactlyOneWinnerPerVersion) {
    const Race race = exact_race(stream("race"));
    for (int r = 0; r < kExactRounds; ++r) {
        int winner = -1;
        ASSERT_TRUE(OneWinner(race, r, r + 1, &winner));
    }
}

TEST_F(CasRace, ExactRaceKeepsEveryWinnerOnceInOrder) {
    const std::string s = stream("race");
    const Race race = exact_race(s);
    std::vector<std::string> winners;
    for (int r = 0; r < kExactRounds; ++r) {
        for (size_t w = 0; w < race.outcomes[r].size(); ++w) {
            if (race.outcomes[r][w].status.ok()) winners.push_back(race.events[r][w].event_id);
        }
    }
    EXPECT_TRUE(StreamHolds(s, winners)) << "every acknowledged winner, at the version it won";
    EXPECT_TRUE(NamespaceHolds(winners)) << "no loser's event anywhere";
}

TEST_F(CasRace, NoStreamRaceHasExactlyOneWinnerPerStream) {
    const Race race = this->race(
        kNoStreamRounds, [&](int r) { return stream("new-" + std::to_string(r)); },
        [](int) { return Expected::no_stream(); });
    for (int r = 0; r < kNoStreamRounds; ++r) {
        int winner = -1;
        ASSERT_TRUE(OneWinner(race, r, 1, &winner));
        EXPECT_TRUE(StreamHolds(stream("new-" + std::to_string(r)),
                                {race.events[r][winner].event_id}));
    }
}

}  // namespace
}  // namespace eventstore::conformance
