// The real eventstored on the sqlite backend, killed (issue 16, acceptance 2): SIGKILL during
// concurrent appends, then a restart on the same file: every acknowledged event is there exactly
// once, at its acknowledged position, in order, no position and no stream version skipped. And a
// second eventstored on the same file is refused at start.
#include <csignal>
#include <map>

#include <gtest/gtest.h>

#include "outage_clients.hpp"
#include "process_support.hpp"
#include "sqlite_server.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

constexpr int kWriters = 8;

class SqliteCrashTest : public ::testing::Test {
protected:
    std::filesystem::path database() const { return dir_.path() / "events.db"; }
    TempDir dir_;
};

TEST_F(SqliteCrashTest, GivenAppendsInFlight_WhenEventstoredIsKilled_ThenEveryAcknowledgedEventIsStoredOnceInOrder) {
    auto server = std::make_unique<SqliteServer>(dir_, database());
    ASSERT_TRUE(server->listening()) << server->process().log();
    std::vector<std::unique_ptr<RetryingWriter>> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.push_back(std::make_unique<RetryingWriter>(server->stub(), "Writer-" + std::to_string(w)));
    }
    const auto acknowledged_count = [&] {
        size_t count = 0;
        for (auto& writer : writers) count += writer->acknowledged().size();
        return count;
    };
    ASSERT_TRUE(eventually([&] { return acknowledged_count() >= 200; }, 20s));
    // No wait for the exit: SIGKILL cannot be handled (see tests/postgres/outage_test.cpp).
    server->process().signal(SIGKILL);
    for (auto& writer : writers) writer->stop();

    SqliteServer restarted(dir_, database());
    ASSERT_TRUE(restarted.listening()) << restarted.process().log();
    const std::vector<v1::RecordedEvent> stored = read_everything(*restarted.stub());
    std::map<std::string, uint64_t> positions;
    std::map<std::string, uint64_t> versions;
    for (size_t i = 0; i < stored.size(); ++i) {
        const v1::RecordedEvent& event = stored[i];
        EXPECT_EQ(event.global_position(), i + 1) << "a position was skipped";
        EXPECT_EQ(event.stream_version(), ++versions[event.stream_id()])
            << "a version of " << event.stream_id() << " was skipped";
        EXPECT_TRUE(positions.emplace(event.metadata().event_id(), event.global_position()).second)
            << "event " << event.metadata().event_id() << " is stored twice";
    }
    size_t acknowledged = 0;
    for (auto& writer : writers) {
        for (const auto& [id, where] : writer->acknowledged()) {
            ++acknowledged;
            const auto found = positions.find(id);
            ASSERT_NE(found, positions.end()) << "acknowledged event " << id << " was lost";
            EXPECT_EQ(found->second, where.position) << id;
        }
    }
    EXPECT_GE(acknowledged, 200u);
}

TEST_F(SqliteCrashTest, GivenAServerOnTheFile_WhenASecondStartsOnIt_ThenTheSecondIsRefused) {
    SqliteServer first(dir_, database());
    ASSERT_TRUE(first.listening()) << first.process().log();
    SqliteServer second(dir_, database());
    ASSERT_TRUE(second.process().wait_for_exit(20s).has_value());
    EXPECT_NE(second.process().log().find(
                  "sqlite: " + database().string() +
                  ": the file is in use by another eventstored process; stop that server, or "
                  "give this one a file of its own"),
              std::string::npos)
        << second.process().log();
}

}  // namespace
}  // namespace eventstore::test
