// Outages (issue 4, acceptance 3 and 4), through eventstored processes and real clients:
// PostgreSQL stopped and started again under appends and a subscription, and eventstored killed
// with SIGKILL under appends. What a client was told must hold afterwards: every acknowledged
// event is stored exactly once, and a resumed subscription sees each event once, in order.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <set>

#include <gtest/gtest.h>

#include "outage_clients.hpp"
#include "pg_test_support.hpp"
#include "server_process.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

constexpr int kWriters = 4;

// Runs `pg_harness.sh stop` or `start` on the harness's server.
void harness(const std::string& command) {
    const char* script = std::getenv("EVENTSTORE_PG_HARNESS");
    ASSERT_NE(script, nullptr);
    ASSERT_EQ(std::system((std::string(script) + " " + command).c_str()), 0) << command;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

class OutageTest : public ::testing::Test {
protected:
    void start_writers(const PostgresServerProcess& server) {
        for (int w = 0; w < kWriters; ++w) {
            writers_.push_back(
                std::make_unique<RetryingWriter>(server.stub(), "Writer-" + std::to_string(w)));
        }
    }

    size_t acknowledged_count() {
        size_t count = 0;
        for (auto& writer : writers_) count += writer->acknowledged().size();
        return count;
    }

    int count_of(grpc::StatusCode code) {
        int count = 0;
        for (auto& writer : writers_) count += writer->outcomes()[code];
        return count;
    }

    // Stops the writers and checks that `stored` holds each event id once, and every
    // acknowledged one at the acknowledged position.
    void expect_every_acknowledged_event_stored_once(const std::vector<v1::RecordedEvent>& stored) {
        for (auto& writer : writers_) writer->stop();
        std::map<std::string, uint64_t> positions;
        for (const auto& event : stored) {
            const std::string& id = event.metadata().event_id();
            EXPECT_TRUE(positions.emplace(id, event.global_position()).second)
                << "event " << id << " is stored twice";
        }
        size_t acknowledged = 0;
        for (auto& writer : writers_) {
            for (const auto& [id, where] : writer->acknowledged()) {
                ++acknowledged;
                const auto found = positions.find(id);
                ASSERT_NE(found, positions.end()) << "acknowledged event " << id << " was lost";
                EXPECT_EQ(found->second, where.position) << id;
            }
        }
        EXPECT_GT(acknowledged, 0u);
    }

    TempDir dir_;
    const std::string schema_ = unique_schema("outage");
    std::vector<std::unique_ptr<RetryingWriter>> writers_;
};

TEST_F(OutageTest, GivenAppendsAndASubscription_WhenPostgresStopsAndStartsAgain_ThenUnavailableMeanwhileAndNothingLostOrDoubled) {
    PostgresServerProcess server(dir_, schema_);
    ResumingSubscriber subscriber(server.stub());
    start_writers(server);
    ASSERT_TRUE(eventually([&] { return acknowledged_count() >= 20; }, 20s));

    harness("stop");
    const auto refused = [&] { return count_of(grpc::StatusCode::UNAVAILABLE) >= kWriters; };
    EXPECT_TRUE(eventually(refused, 10s))
        << "appends did not fail with UNAVAILABLE while the database was down";
    EXPECT_TRUE(eventually([&] { return !subscriber.endings().empty(); }, 10s))
        << "the subscription did not end while the database was down";
    harness("start");
    const size_t before = acknowledged_count();
    EXPECT_TRUE(eventually([&] { return acknowledged_count() >= before + 20; }, 30s))
        << "appends did not succeed again after the database came back";

    for (auto& writer : writers_) writer->stop();
    std::printf("appends: %d acknowledged, %d UNAVAILABLE; subscriptions ended %zu times\n",
                count_of(grpc::StatusCode::OK), count_of(grpc::StatusCode::UNAVAILABLE),
                subscriber.endings().size());
    auto reader = server.stub();
    const std::vector<v1::RecordedEvent> stored = read_everything(*reader);
    ASSERT_FALSE(stored.empty());
    expect_every_acknowledged_event_stored_once(stored);
    for (auto& writer : writers_) {
        for (const auto& [code, count] : writer->outcomes()) {
            EXPECT_TRUE(code == grpc::StatusCode::OK || code == grpc::StatusCode::UNAVAILABLE)
                << count << " appends ended with code " << code << " (calls must fail fast)";
        }
    }

    expect_received_exactly(subscriber, stored, 20s);
    for (const grpc::Status& ending : subscriber.endings()) {
        EXPECT_EQ(ending.error_code(), grpc::StatusCode::UNAVAILABLE) << ending.error_message();
    }
}

TEST_F(OutageTest, GivenAppendsInFlight_WhenEventstoredIsKilled_ThenEveryAcknowledgedEventIsStoredAfterRestart) {
    auto server = std::make_unique<PostgresServerProcess>(dir_, schema_);
    start_writers(*server);
    ASSERT_TRUE(eventually([&] { return acknowledged_count() >= 50; }, 20s));
    // No wait for the exit: SIGKILL cannot be handled, and EventstoredProcess::wait_for_exit
    // (boost::process's wait_for) sometimes sleeps its whole timeout after a SIGKILL.
    server->process().signal(SIGKILL);
    for (auto& writer : writers_) writer->stop();

    PostgresServerProcess restarted(dir_, schema_);
    auto reader = restarted.stub();
    expect_every_acknowledged_event_stored_once(read_everything(*reader));
}

}  // namespace
}  // namespace eventstore::test
