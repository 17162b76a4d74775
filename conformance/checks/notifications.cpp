// plugin.h es_host_callbacks.notify_committed and docs/contract.md "Subscribe" (live delivery is
// pushed, not found by sleeping; a position is never published before every lower position is
// committed or abandoned). A plugin that claims ES_CAP_COMMIT_NOTIFICATIONS announces every
// commit with a position that covers it; any plugin that announces a position P promises that a
// read_all can return every position <= P.
//
// Why the readability check is sound: the hook itself never reads (StoreHooks must return quickly
// and never call back into the store; a plugin may well hold a lock while it notifies). The check
// reads instead right after an append has returned and its announcement has arrived, and before
// the next append starts. Visibility never goes back, so a position that was readable when it was
// announced is still readable then: a correct plugin cannot fail. And since nothing else is
// appended in between, nothing can make an announced-but-uncommitted position readable in the
// meantime: a plugin that announces ahead of its commits is caught. The concurrent phase checks
// every announcement after the writers stop, which is sound for the same reason.
#include <algorithm>
#include <mutex>
#include <set>

#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

constexpr std::chrono::seconds kAnnounceTimeout{5};
constexpr int kSequentialAppends = 20;
constexpr int kAppendsPerWriter = 20;

bool claims_notifications() {
    return (subject().plugin->capabilities() & ES_CAP_COMMIT_NOTIFICATIONS) != 0;
}

class Notifications : public AbiConformanceTest {
protected:
    // Success when read_all can return position P: a read after P - 1 scans up to P at least.
    ::testing::AssertionResult Readable(uint64_t position) {
        const AllPage page = backend().read_all(position - 1, 1, "");
        if (auto ok = IsOk(page.status); !ok) return ok << " reading after " << position - 1;
        if (page.last_scanned_position >= position) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure()
               << "position " << position << " was announced as committed, but read_all after "
               << position - 1 << " returned " << page.events.size()
               << " events and scanned only up to " << page.last_scanned_position;
    }

    // Appends to one of three streams; returns the last position written.
    uint64_t append_some(int i) {
        const AppendOutcome outcome =
            backend().append(stream("s" + std::to_string(i % 3)), Expected::any(),
                             make_events(1 + i % 3));
        EXPECT_TRUE(IsOk(outcome.status));
        return outcome.last_position;
    }
};

TEST_F(Notifications, EveryAppendIsAnnounced) {
    if (!claims_notifications()) {
        GTEST_SKIP() << "the plugin does not claim ES_CAP_COMMIT_NOTIFICATIONS";
    }
    for (int i = 0; i < kSequentialAppends; ++i) {
        const uint64_t last = append_some(i);
        ASSERT_FALSE(HasFailure());
        ASSERT_TRUE(abi().hooks().wait_for(last, kAnnounceTimeout))
            << "append " << i << " wrote up to position " << last << "; no notification reached it "
            << "within " << kAnnounceTimeout.count() << " s";
    }
    run_threads(subject().writers, [&](int writer) {
        for (int i = 0; i < kAppendsPerWriter; ++i) {
            const uint64_t last = append_some(writer + i);
            ASSERT_TRUE(abi().hooks().wait_for(last, kAnnounceTimeout))
                << "a concurrent append wrote up to position " << last
                << "; no notification reached it";
        }
    });
}

TEST_F(Notifications, NeverAnnouncesAPositionReadAllCannotReturn) {
    // Waits for announcements a plugin may send from another thread, until one is late (that is
    // EveryAppendIsAnnounced's to report); without the capability, whatever arrives is checked.
    bool wait = claims_notifications();
    for (int i = 0; i < kSequentialAppends; ++i) {
        const uint64_t last = append_some(i);
        ASSERT_FALSE(HasFailure());
        if (wait) wait = abi().hooks().wait_for(last, kAnnounceTimeout);
        for (const uint64_t position : abi().hooks().take_announcements()) {
            if (position > 0) {
                ASSERT_TRUE(Readable(position)) << "after append " << i;
            }
        }
    }
    uint64_t highest = 0;
    std::mutex mutex;
    run_threads(subject().writers, [&](int writer) {
        for (int i = 0; i < kAppendsPerWriter; ++i) {
            const uint64_t last = append_some(writer + i);
            std::lock_guard lock(mutex);
            highest = std::max(highest, last);
        }
    });
    if (wait) abi().hooks().wait_for(highest, kAnnounceTimeout);
    const std::vector<uint64_t> announced = abi().hooks().take_announcements();
    for (const uint64_t position : std::set<uint64_t>(announced.begin(), announced.end())) {
        if (position > 0) {
            ASSERT_TRUE(Readable(position)) << "after the concurrent appends";
        }
    }
}

}  // namespace
}  // namespace eventstore::conformance
