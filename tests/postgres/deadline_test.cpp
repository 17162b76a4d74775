// Deadlines (plugin.h "Deadlines", issue 9): a call's timeout_us bounds every wait of the postgres
// backend (a lock in the database, the group commit queue, the connection pool), and a call that
// gives up has written nothing. Locks are held by a second connection of the test.
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "eventstore/abi_struct.hpp"
#include "group_committer.hpp"
#include "pg_test_support.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kTimeoutUs = 400'000;
constexpr int kGroupsInFlight = postgres::GroupCommitter::kMaxGroupsInFlight;

// The events stored in `stream`, 0 when it does not exist.
uint64_t stored_in(loader::Store& store, const std::string& stream) {
    es_read_stream_request read = abi::make_struct<es_read_stream_request>();
    read.forward = true;
    read.stream_id = abi::bytes(stream);
    read.max_count = 1000;
    auto iterator = store.read_stream(read);
    if (!iterator.ok()) return 0;
    uint64_t count = 0;
    es_recorded_event event;
    while (iterator.value()->next(event).value()) ++count;
    return count;
}

// A deadline was kept: the call ended no earlier than it and not much later.
void expect_ended_at_deadline(Clock::time_point started) {
    const auto took = Clock::now() - started;
    EXPECT_GE(took, std::chrono::microseconds(kTimeoutUs) - 50ms);
    EXPECT_LT(took, std::chrono::microseconds(kTimeoutUs) + 1500ms);
}

class PostgresDeadlineTest : public ::testing::Test {
protected:
    void SetUp() override { open({}); }

    void open(std::vector<std::pair<std::string, std::string>> options) {
        schema_ = unique_schema("deadline");
        options.emplace_back("schema", schema_);
        auto opened = open_store(options);
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        store_ = std::move(opened.value());
    }

    std::string schema_;
    std::unique_ptr<loader::Store> store_;
};

TEST_F(PostgresDeadlineTest, GivenTheHeadLockedElsewhere_WhenAnAppendHasATimeout_ThenDeadlineExceededAtItAndNothingWritten) {
    LockHolder blocker(head_lock(schema_));
    es_append_result result;
    const auto started = Clock::now();
    const Status status = append_events(*store_, "Late", 1, result, kTimeoutUs);
    EXPECT_EQ(status.code(), Code::deadline_exceeded) << status.message();
    EXPECT_NE(status.message().find("deadline passed, nothing was written"), std::string::npos)
        << status.message();
    expect_ended_at_deadline(started);

    blocker.release();
    EXPECT_EQ(stored_in(*store_, "Late"), 0u);
    // The connection's statement timeout is back to the store's: a call without a timeout waits
    // for a lock held longer than the one that failed.
    LockHolder again(head_lock(schema_));
    auto waiting = std::async(std::launch::async, [&] {
        es_append_result later;
        return append_events(*store_, "Patient", 1, later);
    });
    EXPECT_EQ(waiting.wait_for(std::chrono::microseconds(2 * kTimeoutUs)), std::future_status::timeout);
    again.release();
    EXPECT_TRUE(waiting.get().ok());
    EXPECT_EQ(stored_in(*store_, "Patient"), 1u);
}

TEST_F(PostgresDeadlineTest, GivenTheEventsTableLocked_WhenReadsHaveATimeout_ThenDeadlineExceededAtIt) {
    es_append_result result;
    ASSERT_TRUE(append_events(*store_, "S", 1, result).ok());
    LockHolder blocker(table_lock(schema_));

    es_read_stream_request by_stream = abi::make_struct<es_read_stream_request>();
    by_stream.forward = true;
    by_stream.stream_id = abi::bytes("S");
    by_stream.max_count = 10;
    by_stream.timeout_us = kTimeoutUs;
    auto started = Clock::now();
    auto stream_read = store_->read_stream(by_stream);
    ASSERT_FALSE(stream_read.ok());
    EXPECT_EQ(stream_read.status().code(), Code::deadline_exceeded) << stream_read.status().message();
    expect_ended_at_deadline(started);

    es_read_all_request all = abi::make_struct<es_read_all_request>();
    all.max_count = 10;
    all.timeout_us = kTimeoutUs;
    started = Clock::now();
    auto all_read = store_->read_all(all);
    ASSERT_FALSE(all_read.ok());
    EXPECT_EQ(all_read.status().code(), Code::deadline_exceeded) << all_read.status().message();
    expect_ended_at_deadline(started);
}

TEST_F(PostgresDeadlineTest, GivenGroupsInFlight_WhenAQueuedAppendsDeadlinePasses_ThenItLeavesTheQueueUnwritten) {
    LockHolder blocker(head_lock(schema_));
    // As many groups as may be in flight, each waiting for the lock (no deadline).
    std::vector<std::future<Status>> leaders;
    for (int g = 0; g < kGroupsInFlight; ++g) {
        leaders.push_back(std::async(std::launch::async, [&, g] {
            es_append_result result;
            return append_events(*store_, "First-" + std::to_string(g), 1, result);
        }));
        ASSERT_TRUE(eventually_lock_waiters(g + 1));
    }

    es_append_result result;
    const auto started = Clock::now();
    const Status queued = append_events(*store_, "Second", 1, result, kTimeoutUs);
    EXPECT_EQ(queued.code(), Code::deadline_exceeded) << queued.message();
    EXPECT_NE(queued.message().find("while it waited for its group"), std::string::npos)
        << queued.message();
    expect_ended_at_deadline(started);

    blocker.release();
    for (int g = 0; g < kGroupsInFlight; ++g) {
        EXPECT_TRUE(leaders[g].get().ok());
        EXPECT_EQ(stored_in(*store_, "First-" + std::to_string(g)), 1u);
    }
    EXPECT_EQ(stored_in(*store_, "Second"), 0u);
}

TEST_F(PostgresDeadlineTest, GivenEveryPooledConnectionBusy_WhenAReadHasATimeout_ThenDeadlineExceededNamingThePool) {
    open({{"pool_size", "1"}});
    LockHolder blocker(head_lock(schema_));
    auto holder = std::async(std::launch::async, [&] {
        es_append_result result;
        return append_events(*store_, "Holder", 1, result);  // holds the one connection
    });
    ASSERT_TRUE(eventually_lock_waiters(1));

    es_read_all_request all = abi::make_struct<es_read_all_request>();
    all.max_count = 10;
    all.timeout_us = kTimeoutUs;
    const auto started = Clock::now();
    auto read = store_->read_all(all);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.status().code(), Code::deadline_exceeded) << read.status().message();
    EXPECT_NE(read.status().message().find("pooled connections"), std::string::npos)
        << read.status().message();
    expect_ended_at_deadline(started);

    blocker.release();
    EXPECT_TRUE(holder.get().ok());
}

}  // namespace
}  // namespace eventstore::test
