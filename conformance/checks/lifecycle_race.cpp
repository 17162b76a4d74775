// plugin.h "Stream lifecycle" under contention: deletes and truncates racing appends and reads of
// the same stream, on kThreads threads at once: appenders, and changers, stream readers and
// read_all tailers that go on while the appenders run. Every clause must hold throughout:
//   - no read returns an event below the truncate_before of a change that returned before the
//     read began (a removed event is never read after its removal returned);
//   - versions are never given twice, and each version read is the event acknowledged for it;
//   - positions increase along each read, and along a tailer's pages;
//   - at the end, the stream holds exactly the acknowledged events at or above its final
//     truncate_before, and last_version counts every acknowledged append.
// Skipped, like every lifecycle check, for a backend without the lifecycle.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

constexpr int kThreads = 32;
constexpr int kAppenders = 16;
constexpr int kChangers = 8;  // the other kThreads - kAppenders - kChangers read
constexpr int kAppendsEach = 150;
// Every thread pauses between calls: the appends then spread over about kAppendsEach ms, and the
// changers and readers, which go on while the appenders run, do not starve them of a store's
// write lock (the race is about interleaving, not throughput).
constexpr std::chrono::microseconds kAppendPause{1000};
constexpr std::chrono::microseconds kChangePause{2000};
constexpr std::chrono::microseconds kReadPause{500};

class LifecycleRace : public LifecycleTest {
protected:
    struct Acked {
        std::string event_id;
        uint64_t position = 0;
    };

    // What every thread reports, under one mutex.
    struct Log {
        std::mutex mutex;
        std::map<uint64_t, Acked> acked;                       // version -> the acknowledged event
        std::vector<std::pair<uint64_t, std::string>> seen;  // (version, event id) read
        std::vector<std::string> violations;

        void violation(std::string what) {
            std::lock_guard lock(mutex);
            if (violations.size() < 20) violations.push_back(std::move(what));
        }
    };

    // The highest truncate_before of a change that has returned.
    static void raise(std::atomic<uint64_t>& floor, uint64_t value) {
        uint64_t seen = floor.load();
        while (seen < value && !floor.compare_exchange_weak(seen, value)) {
        }
    }

    // Checks one read's events against the floor loaded before it and the previous position
    // (0 for none); records what it saw.
    static void check_read(const std::vector<RecordedEvent>& events, uint64_t floor,
                           uint64_t& last_position, const char* what, Log& log) {
        for (const RecordedEvent& event : events) {
            if (event.stream_version < floor) {
                log.violation(std::string(what) + " returned version " +
                              std::to_string(event.stream_version) +
                              " after a change that removed every version below " +
                              std::to_string(floor) + " had returned");
            }
            if (event.global_position <= last_position) {
                log.violation(std::string(what) + ": position " +
                              std::to_string(event.global_position) + " after " +
                              std::to_string(last_position));
            }
            last_position = event.global_position;
            std::lock_guard lock(log.mutex);
            log.seen.emplace_back(event.stream_version, event.data.event_id);
        }
    }
};

TEST_F(LifecycleRace, ChangesRacingAppendsAndReadsKeepEveryClause) {
    const std::string s = stream("raced");
    Log log;
    std::atomic<uint64_t> floor{0};        // see raise()
    std::atomic<uint64_t> highest_acked{0};
    std::atomic<int> appenders_left{kAppenders};
    std::atomic<int> changes{0};  // that succeeded

    run_threads(kThreads, [&](int thread) {
        if (thread < kAppenders) {
            for (int i = 0; i < kAppendsEach; ++i) {
                std::this_thread::sleep_for(kAppendPause);
                const std::vector<EventData> event = make_events(1);
                const AppendOutcome outcome = backend().append(s, Expected::any(), event);
                if (!outcome.status.ok()) {
                    log.violation("an append failed: " + std::string(code_name(outcome.status.code())) +
                                  ": " + outcome.status.message());
                    continue;
                }
                raise(highest_acked, outcome.current_version);
                std::lock_guard lock(log.mutex);
                const bool fresh =
                    log.acked.emplace(outcome.current_version, Acked{event[0].event_id,
                                                                     outcome.first_position})
                        .second;
                if (!fresh) {
                    log.violations.push_back("version " + std::to_string(outcome.current_version) +
                                             " was acknowledged twice");
                }
            }
            --appenders_left;
        } else if (thread < kAppenders + kChangers) {
            for (int i = 0; appenders_left.load() > 0; ++i) {
                std::this_thread::sleep_for(kChangePause);
                const uint64_t high = highest_acked.load();
                const StreamChange change = (thread + i) % 2 == 0
                                                ? StreamChange::remove()
                                                : StreamChange::truncate(high > 3 ? high - 3 : 1);
                const StateOutcome outcome = backend().change_stream(s, change);
                if (outcome.status.ok()) {
                    raise(floor, outcome.state.truncate_before);
                    ++changes;
                } else if (outcome.status.code() != Code::not_found || high != 0) {
                    log.violation("a change failed: " + std::string(code_name(outcome.status.code())) +
                                  ": " + outcome.status.message());
                }
            }
        } else if (thread % 2 == 0) {
            // A stream reader: forward and backward pages of the whole stream.
            for (int round = 0; appenders_left.load() > 0; ++round) {
                std::this_thread::sleep_for(kReadPause);
                const uint64_t before = floor.load();
                const bool forward = round % 2 == 0;
                const StreamPage page = backend().read_stream(s, 0, 50, forward);
                if (!page.status.ok() && page.status.code() != Code::not_found) {
                    log.violation("read_stream failed: " + page.status.message());
                    continue;
                }
                std::vector<RecordedEvent> events = page.events;
                if (!forward) std::reverse(events.begin(), events.end());
                uint64_t last_position = 0;
                check_read(events, before, last_position, "read_stream", log);
            }
        } else {
            // A read_all tailer: pages from its last_scanned_position on, over the gaps.
            uint64_t after = 0;
            uint64_t last_position = 0;
            while (appenders_left.load() > 0) {
                std::this_thread::sleep_for(kReadPause);
                const uint64_t before = floor.load();
                const AllPage page = backend().read_all(after, 20, prefix());
                if (!page.status.ok()) {
                    log.violation("read_all failed: " + page.status.message());
                    break;
                }
                check_read(page.events, before, last_position, "read_all", log);
                if (page.last_scanned_position < after) {
                    log.violation("last_scanned_position went back from " + std::to_string(after) +
                                  " to " + std::to_string(page.last_scanned_position));
                }
                after = std::max(after, page.last_scanned_position);
            }
        }
    });

    for (const std::string& violation : log.violations) ADD_FAILURE() << violation;
    EXPECT_GT(changes.load(), 0) << "no change raced the appends";
    ASSERT_EQ(log.acked.size(), static_cast<size_t>(kAppenders * kAppendsEach));
    for (const auto& [version, id] : log.seen) {
        const auto acked = log.acked.find(version);
        ASSERT_NE(acked, log.acked.end()) << "read version " << version << ", never acknowledged";
        EXPECT_EQ(id, acked->second.event_id) << "version " << version << " read with another event";
    }
    uint64_t previous = 0;
    for (const auto& [version, acked] : log.acked) {
        EXPECT_GT(acked.position, previous) << "positions must increase with versions";
        previous = acked.position;
    }

    const StateOutcome state = backend().stream_state(s);
    ASSERT_TRUE(IsOk(state.status));
    EXPECT_EQ(state.state.last_version, log.acked.size()) << "one version per acknowledged append";
    EXPECT_GE(state.state.truncate_before, floor.load()) << "truncate_before never goes back";
    std::vector<std::string> kept;
    for (const auto& [version, acked] : log.acked) {
        if (version >= state.state.truncate_before) kept.push_back(acked.event_id);
    }
    if (kept.empty()) {
        EXPECT_TRUE(HasCode(backend().read_stream(s, 0, 0, true).status, Code::not_found));
    } else {
        const std::vector<RecordedEvent> events = whole_stream(s);
        EXPECT_TRUE(SameIds(kept, ids_of(events))) << "the stream after the race";
        EXPECT_TRUE(NamespaceHolds(kept)) << "read_all after the race";
    }
}

}  // namespace
}  // namespace eventstore::conformance
