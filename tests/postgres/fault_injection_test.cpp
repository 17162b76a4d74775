// Fault injection (issue 22), through eventstored and real clients: 8 writers, half expecting
// their stream's exact version and retrying an unanswered append with the same event id until
// it is acknowledged, half expecting any version and giving an unanswered append up, and a
// subscriber that resumes after the last position it received; meanwhile, one after another every
// 1.5 to 4 s for kFaultsFor: eventstored killed with SIGKILL (and started again on its port),
// PostgreSQL restarted at once (`pg_ctl restart -m immediate`), every PostgreSQL process stopped
// (SIGSTOP) for 3 s. Then the whole history is checked: positions 1..N without a gap, each
// stream's versions 1..n in position order, every acknowledged event stored once where its answer
// said (so a retry with the same id got the original result), an event given up stored at most
// once and, when stored, never answered by the backend as if nothing was written (only "outcome
// is unknown"), nothing stored that no writer sent, and the subscriber's events equal to the log.
// Prints its counts.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "outage_clients.hpp"
#include "pg_test_support.hpp"
#include "server_process.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

constexpr int kWriters = 8;
constexpr auto kFaultsFor = 35s;

// Runs `pg_harness.sh ARGUMENTS` on the harness's server.
void harness(const std::string& arguments) {
    const char* script = std::getenv("EVENTSTORE_PG_HARNESS");
    ASSERT_NE(script, nullptr);
    ASSERT_EQ(std::system((std::string(script) + " " + arguments).c_str()), 0) << arguments;
}

struct Faults {
    int kills = 0, crashes = 0, pauses = 0;
};

// Injects one fault after another until `until`, `server` being started again after each kill.
Faults inject_faults(std::unique_ptr<PostgresServerProcess>& server, const TempDir& dir,
                     const std::string& schema, std::chrono::steady_clock::time_point until) {
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> pace_ms(1500, 4000);
    Faults faults;
    for (int next = 0; std::chrono::steady_clock::now() < until; ++next) {
        // The pace of the faults, not a synchronisation: the clients run on meanwhile.
        std::this_thread::sleep_for(std::chrono::milliseconds(pace_ms(random)));
        switch (next % 3) {
        case 0: {
            const uint16_t port = server->port();
            server->process().signal(SIGKILL);
            server = std::make_unique<PostgresServerProcess>(dir, schema, "", "", port);
            ++faults.kills;
            break;
        }
        case 1:
            harness("crash");
            ++faults.crashes;
            break;
        default:
            harness("pause 3");
            ++faults.pauses;
        }
    }
    return faults;
}

TEST(FaultInjectionTest, GivenWritersAndASubscriber_WhenServerAndDatabaseFailAgainAndAgain_ThenTheHistoryTellsTheTruth) {
    TempDir dir;
    const std::string schema = unique_schema("faults");
    auto server = std::make_unique<PostgresServerProcess>(dir, schema);
    std::vector<std::unique_ptr<RetryingWriter>> writers;
    for (int w = 0; w < kWriters; ++w) {
        const bool exact = w % 2 == 0;
        writers.push_back(std::make_unique<RetryingWriter>(
            server->stub(), "Writer-" + std::to_string(w),
            WriterOptions{exact, /*give_up=*/!exact}));
    }
    ResumingSubscriber subscriber(server->stub());

    const Faults faults = inject_faults(server, dir, schema, std::chrono::steady_clock::now() + kFaultsFor);
    // Appends succeed again after the last fault.
    size_t before = 0;
    for (auto& writer : writers) before += writer->acknowledged().size();
    const auto recovered = std::chrono::steady_clock::now() + 30s;
    size_t after = before;
    while (after < before + 4 * kWriters && std::chrono::steady_clock::now() < recovered) {
        std::this_thread::sleep_for(50ms);
        after = 0;
        for (auto& writer : writers) after += writer->acknowledged().size();
    }
    EXPECT_GE(after, before + 4 * kWriters) << "appends did not succeed again after the faults";
    for (auto& writer : writers) writer->stop();

    const std::vector<v1::RecordedEvent> stored = read_everything(*server->stub());
    ASSERT_FALSE(stored.empty());
    std::map<std::string, const v1::RecordedEvent*> by_id;
    std::map<std::string, uint64_t> stream_versions;
    for (size_t i = 0; i < stored.size(); ++i) {
        const v1::RecordedEvent& event = stored[i];
        ASSERT_EQ(event.global_position(), i + 1) << "the log has a gap or a duplicate position";
        EXPECT_EQ(event.stream_version(), ++stream_versions[event.stream_id()])
            << "stream " << event.stream_id() << " at position " << event.global_position();
        EXPECT_TRUE(by_id.emplace(event.metadata().event_id(), &event).second)
            << "event " << event.metadata().event_id() << " is stored twice";
    }

    size_t acknowledged = 0, sent = 0, ambiguous = 0, ambiguous_stored = 0, told_unknown = 0;
    int retried_unknown = 0;  // answers "outcome is unknown" to writers that retry the same id
    std::map<grpc::StatusCode, int> outcomes;
    for (int w = 0; w < kWriters; ++w) {
        RetryingWriter& writer = *writers[w];
        const auto acks = writer.acknowledged();
        const auto ids = writer.sent();
        for (const auto& [id, where] : acks) {
            const auto found = by_id.find(id);
            ASSERT_NE(found, by_id.end()) << "acknowledged event " << id << " was lost";
            EXPECT_EQ(found->second->global_position(), where.position) << id;
            EXPECT_EQ(found->second->stream_version(), where.version) << id;
            EXPECT_EQ(found->second->stream_id(), "Writer-" + std::to_string(w)) << id;
        }
        for (const std::string& id : ids) {
            if (acks.count(id) != 0) continue;
            ++ambiguous;
            ambiguous_stored += by_id.count(id);
        }
        // A stored event whose append was answered by the backend must have been told that its
        // outcome was unknown, never that nothing was written (an answer of the transport, such
        // as a connection reset by the killed server, says neither).
        for (const auto& [id, message] : writer.given_up()) {
            if (by_id.count(id) == 0) continue;
            const bool from_backend = message.find("postgres: ") != std::string::npos ||
                                      message.find("nothing was written") != std::string::npos;
            EXPECT_TRUE(!from_backend || message.find("outcome is unknown") != std::string::npos)
                << "event " << id << " is stored, yet its append was answered: " << message;
            told_unknown += message.find("outcome is unknown") != std::string::npos ? 1 : 0;
        }
        if (w % 2 == 0) retried_unknown += writer.told_unknown();
        acknowledged += acks.size();
        sent += ids.size();
        for (const auto& [code, count] : writer.outcomes()) {
            outcomes[code] += count;
            EXPECT_TRUE(code == grpc::StatusCode::OK || code == grpc::StatusCode::UNAVAILABLE ||
                        code == grpc::StatusCode::DEADLINE_EXCEEDED)
                << count << " appends of writer " << w << " ended with code " << code;
        }
    }
    EXPECT_EQ(acknowledged + ambiguous_stored, stored.size())
        << "the log holds events that no writer sent";

    expect_received_exactly(subscriber, stored, 30s);

    std::printf("faults: %d SIGKILL of eventstored, %d immediate restarts of PostgreSQL, %d pauses "
                "of 3 s\nappends: %zu sent, %zu acknowledged, %zu ambiguous (%zu of them stored, "
                "%zu of those told \"outcome is unknown\"); %d OK, %d UNAVAILABLE, %d DEADLINE_EXCEEDED; "
                "%d \"outcome is unknown\" answers to writers retrying with the same id\n"
                "log: %zu events; the subscriber received %zu, resuming %zu times\n",
                faults.kills, faults.crashes, faults.pauses, sent, acknowledged, ambiguous,
                ambiguous_stored, told_unknown, outcomes[grpc::StatusCode::OK],
                outcomes[grpc::StatusCode::UNAVAILABLE],
                outcomes[grpc::StatusCode::DEADLINE_EXCEEDED], retried_unknown, stored.size(),
                subscriber.received().size(), subscriber.endings().size());
}

}  // namespace
}  // namespace eventstore::test
