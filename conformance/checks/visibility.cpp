// docs/contract.md "Subscribe", visibility rule: once a position P has been delivered, no event at a
// position <= P may become visible later; concurrent appends must not break this. A read_all
// "returns only positions that can never be preceded by a later-committed lower position"
// (plugin.h). Subscriptions tail read_all, so this is where out-of-order commits lose events.
//
// The workload: --writers threads append for --duration-ms while readers tail read_all over the
// namespace in small pages, each passing last_scanned_position back as after_position, exactly as
// a subscription does. A backend that makes position P visible while a lower position is still
// uncommitted lets a reader pass over that lower position for good: its view then lacks an event
// that the final read_all has.
#include <algorithm>
#include <atomic>
#include <mutex>

#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

constexpr int kReaders = 3;
constexpr uint32_t kReaderPage = 100;
constexpr uint32_t kFinalPage = 1000;

struct TailingRun {
    std::vector<std::string> acknowledged;       // every event id an append acknowledged
    std::vector<std::vector<uint64_t>> readers;  // the positions each reader saw, in order
    std::vector<std::string> problems;           // what readers met: positions back, failures
    Result<std::vector<RecordedEvent>> final_read = std::vector<RecordedEvent>{};
};

// Tails read_all until the writers are done and the head is reached; records what it saw.
void tail(Backend& backend, const std::string& prefix, const std::atomic<int>& writers_left,
          std::vector<uint64_t>& seen, std::vector<std::string>& problems, std::mutex& mutex) {
    const auto problem = [&](const std::string& text) {
        std::lock_guard lock(mutex);
        problems.push_back(text);
    };
    uint64_t after = 0;
    bool went_back = false;
    for (;;) {
        const bool writers_done = writers_left.load() == 0;  // read before the page
        const AllPage page = backend.read_all(after, kReaderPage, prefix);
        if (!page.status.ok()) return problem(std::string("a tailing read_all failed: ") +
                                              code_name(page.status.code()) + ": " +
                                              page.status.message());
        for (const RecordedEvent& event : page.events) {
            if (!went_back && !seen.empty() && event.global_position <= seen.back()) {
                went_back = true;  // one report per reader is enough
                problem("a reader saw position " + std::to_string(event.global_position) +
                        " after position " + std::to_string(seen.back()));
            }
            seen.push_back(event.global_position);
        }
        if (page.last_scanned_position < after) {
            return problem("read_all after " + std::to_string(after) +
                           " reported last_scanned_position " +
                           std::to_string(page.last_scanned_position));
        }
        after = page.last_scanned_position;
        if (writers_done && page.reached_head) return;
    }
}

TailingRun run_tailing(Backend& backend, const std::string& prefix) {
    const int writers = subject().writers;
    const auto deadline = std::chrono::steady_clock::now() + subject().duration;
    TailingRun run;
    run.readers.resize(kReaders);
    std::vector<std::vector<std::string>> acknowledged(writers);
    std::atomic<int> writers_left{writers};
    std::mutex mutex;
    run_threads(writers + kReaders, [&](int thread) {
        if (thread >= writers) {
            return tail(backend, prefix, writers_left, run.readers[thread - writers], run.problems,
                        mutex);
        }
        const std::string own = prefix + "w" + std::to_string(thread);
        for (int i = 0; std::chrono::steady_clock::now() < deadline; ++i) {
            const std::vector<EventData> events = make_events(1 + i % 3);
            // Own stream, and a shared one now and then so writers also contend on a stream.
            const std::string s = i % 5 == 0 ? prefix + "shared" : own;
            const AppendOutcome outcome = backend.append(s, Expected::any(), events);
            if (!outcome.status.ok()) {
                std::lock_guard lock(mutex);
                run.problems.push_back(std::string("an append failed: ") +
                                       code_name(outcome.status.code()) + ": " +
                                       outcome.status.message());
                break;
            }
            for (const auto& event : events) acknowledged[thread].push_back(event.event_id);
        }
        --writers_left;
    });
    for (auto& ids : acknowledged) {
        run.acknowledged.insert(run.acknowledged.end(), ids.begin(), ids.end());
    }
    run.final_read = read_all_with_prefix(backend, prefix, kFinalPage);
    return run;
}

class Visibility : public ConformanceTest {
protected:
    void SetUp() override {
        ConformanceTest::SetUp();
        if (!HasFatalFailure()) run_ = run_tailing(backend(), prefix());
    }

    // The final read_all; fails the check if it failed.
    const std::vector<RecordedEvent>& final_read() {
        EXPECT_TRUE(IsOk(run_.final_read.ok() ? Status() : run_.final_read.status()))
            << "the final read_all";
        static const std::vector<RecordedEvent> none;
        return run_.final_read.ok() ? run_.final_read.value() : none;
    }

    TailingRun run_;
};

TEST_F(Visibility, TailingReadersNeverSeeAPositionGoBack) {
    ASSERT_FALSE(run_.acknowledged.empty()) << "the writers appended nothing";
    for (const std::string& problem : run_.problems) ADD_FAILURE() << problem;
}

TEST_F(Visibility, TailingReadersMissNoCommittedEvent) {
    std::vector<uint64_t> positions;
    for (const RecordedEvent& event : final_read()) positions.push_back(event.global_position);
    for (size_t r = 0; r < run_.readers.size(); ++r) {
        const std::vector<uint64_t>& seen = run_.readers[r];
        const auto parted = std::mismatch(seen.begin(), seen.end(), positions.begin(),
                                          positions.end());
        if (parted.first == seen.end() && parted.second == positions.end()) continue;
        ADD_FAILURE() << "reader " << r << " saw " << seen.size() << " events, the final read_all "
                      << positions.size() << "; they part at index " << parted.first - seen.begin()
                      << ": the reader saw position "
                      << (parted.first == seen.end() ? std::string("(nothing)")
                                                     : std::to_string(*parted.first))
                      << " where read_all now has position "
                      << (parted.second == positions.end() ? std::string("(nothing)")
                                                           : std::to_string(*parted.second))
                      << ": a position became visible after a higher one was read";
    }
}

TEST_F(Visibility, FinalReadAllHoldsEveryAcknowledgedEventOnce) {
    const std::vector<RecordedEvent>& read = final_read();
    std::vector<std::string> expected = run_.acknowledged;
    std::vector<std::string> actual = ids_of(read);
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    EXPECT_TRUE(SameIds(expected, actual)) << "(ids sorted) every acknowledged event exactly once";
    for (size_t i = 1; i < read.size(); ++i) {
        ASSERT_GT(read[i].global_position, read[i - 1].global_position)
            << "read_all positions must strictly increase";
    }
}

}  // namespace
}  // namespace eventstore::conformance
