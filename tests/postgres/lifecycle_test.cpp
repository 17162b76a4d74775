// The postgres backend's stream lifecycle (plugin.h "Stream lifecycle"; lifecycle.hpp) through the
// loader, against a real database, where the conformance suite cannot look: the rows leave the
// events table in the call that removes them; retention filters at read time until the sweep
// deletes the rows; the owner outlives the events; a tombstone of a never-used stream survives
// careful-path groups;
// appends racing deletes keep every version once and leave no row below truncate_before.
#include <algorithm>
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"
#include "owner_requests.hpp"
#include "pg_test_support.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;
using Versions = std::vector<uint64_t>;

#define ASSERT_OK(call)                                                                          \
    if (const Status status_ = (call); true) ASSERT_TRUE(status_.ok()) << status_.message()

class PostgresLifecycleTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = open_store({{"schema", schema_}, {"sweep_interval_ms", "100"}});
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        store_ = std::move(opened.value());
    }

    Status change(const es_stream_change_request& request) {
        state_ = abi::make_struct<es_stream_state>();
        return store_->change_stream(request, state_);
    }

    // The rows of `stream` in the events table.
    int rows(const std::string& stream) {
        return sql("SELECT count(*) FROM " + schema_ + ".events WHERE stream_id = '" + stream + "'")
            [0][0].as<int>();
    }

    Versions versions(const std::string& stream) {
        auto read = readable_versions(*store_, stream);
        EXPECT_TRUE(read.ok()) << read.status().message();
        return read.ok() ? read.value() : Versions{};
    }

    const std::string schema_ = unique_schema("lifecycle");
    std::unique_ptr<loader::Store> store_;
    es_stream_state state_{};
};

TEST_F(PostgresLifecycleTest, GivenADeletedStream_WhenAppendedAgain_ThenItsRowsAreGoneAndTheVersionsGoOn) {
    es_append_result result;
    ASSERT_TRUE(append_events(*store_, "Order-1", 2, result).ok());
    ASSERT_TRUE(append_events(*store_, "Other", 1, result).ok());
    ASSERT_OK(change(stream_change(ES_CHANGE_DELETE, "Order-1")));
    EXPECT_EQ(state_.last_version, 2u);
    EXPECT_EQ(state_.truncate_before, 3u);
    EXPECT_EQ(rows("Order-1"), 0) << "the rows leave the table in the call";
    EXPECT_EQ(readable_versions(*store_, "Order-1").status().code(), Code::not_found);
    EXPECT_EQ(readable_positions(*store_, "Order-").value(), Versions{});
    EXPECT_EQ(change(stream_change(ES_CHANGE_DELETE, "Order-1")).code(), Code::ok)
        << "deleting a deleted stream changes nothing";

    ASSERT_TRUE(append_events(*store_, "Order-1", 1, result).ok());
    EXPECT_EQ(result.current_version, 3u);
    EXPECT_EQ(versions("Order-1"), Versions{3});
    EXPECT_EQ(readable_positions(*store_, "Order-").value(), Versions{result.last_global_position});
}

TEST_F(PostgresLifecycleTest, GivenADeletedEvent_WhenItsIdIsAppendedAgain_ThenItIsANewAppend) {
    abi::AppendBuilder append;
    append.request().stream_id = abi::bytes("Reused");
    es_event_data& event = append.add_event();
    event.event_id = abi::bytes("0190a2c4-0000-7000-8000-0000000000aa");
    event.type_name = abi::bytes("Happened");
    es_append_result result = abi::make_struct<es_append_result>();
    ASSERT_TRUE(store_->append(append.request(), result).ok());
    ASSERT_OK(change(stream_change(ES_CHANGE_DELETE, "Reused")));
    ASSERT_TRUE(store_->append(append.request(), result).ok());
    EXPECT_EQ(result.current_version, 2u) << "not the idempotent answer of version 1";
    EXPECT_EQ(versions("Reused"), Versions{2});
}

TEST_F(PostgresLifecycleTest, GivenATombstonedStream_WhenAppendedOrChanged_ThenFailedPreconditionSayingTombstoned) {
    es_append_result result;
    ASSERT_TRUE(append_events(*store_, "Gone", 2, result).ok());
    ASSERT_OK(change(stream_change(ES_CHANGE_TOMBSTONE, "Gone")));
    EXPECT_TRUE(state_.tombstoned);
    EXPECT_EQ(rows("Gone"), 0);
    const Status appended = append_events(*store_, "Gone", 1, result);
    EXPECT_EQ(appended.code(), Code::failed_precondition) << appended.message();
    EXPECT_TRUE(result.tombstoned);
    EXPECT_EQ(result.actual_version, 2u);
    for (uint32_t kind : {ES_CHANGE_DELETE, ES_CHANGE_TOMBSTONE, ES_CHANGE_TRUNCATE,
                          ES_CHANGE_SET_RETENTION}) {
        EXPECT_EQ(change(stream_change(kind, "Gone")).code(), Code::failed_precondition) << kind;
        EXPECT_TRUE(state_.tombstoned) << kind;
    }
    EXPECT_EQ(readable_versions(*store_, "Gone").status().code(), Code::not_found);
}

TEST_F(PostgresLifecycleTest, GivenNeverUsedStreamsTombstoned_WhenAppendedInGroupsWithOthers_ThenTheTombstonesStay) {
    // Appends to the tombstoned streams fail the one-statement way, so their groups go the
    // careful way, whose write drops the rows it created and left empty: not these.
    constexpr int kThreads = 8;
    constexpr int kRounds = 10;
    const auto never = [](int t) { return "Never-" + std::to_string(t); };
    for (int t = 0; t < kThreads; t += 2) {
        const std::string stream = never(t);
        ASSERT_OK(change(stream_change(ES_CHANGE_TOMBSTONE, stream)));
    }
    run_in_rounds(kThreads, kRounds, [&](int t, int) {
        es_append_result result;
        const std::string stream = t % 2 == 0 ? never(t) : "Alive-" + std::to_string(t);
        const Status status = append_events(*store_, stream, 1, result);
        EXPECT_EQ(status.code(), t % 2 == 0 ? Code::failed_precondition : Code::ok)
            << status.message();
        EXPECT_EQ(result.tombstoned, t % 2 == 0);
    });
    for (int t = 0; t < kThreads; t += 2) {
        const std::string stream = never(t);
        es_stream_state_request ask = abi::make_struct<es_stream_state_request>();
        ask.stream_id = abi::bytes(stream);
        es_stream_state state = abi::make_struct<es_stream_state>();
        ASSERT_OK(store_->stream_state(ask, state));
        EXPECT_TRUE(state.tombstoned) << stream;
        EXPECT_EQ(state.last_version, 0u) << stream;
    }
}

TEST_F(PostgresLifecycleTest, GivenATruncatedStream_WhenRead_ThenFromTheTruncationOnBothWays) {
    es_append_result result;
    ASSERT_TRUE(append_events(*store_, "T", 5, result).ok());
    es_stream_change_request truncate = stream_change(ES_CHANGE_TRUNCATE, "T");
    truncate.before_version = 3;
    ASSERT_OK(change(truncate));
    EXPECT_EQ(rows("T"), 3);
    EXPECT_EQ(versions("T"), (Versions{3, 4, 5}));

    es_read_stream_request read = abi::make_struct<es_read_stream_request>();
    read.stream_id = abi::bytes("T");
    read.max_count = 10;
    auto backward = store_->read_stream(read);
    ASSERT_TRUE(backward.ok());
    es_recorded_event event = abi::make_struct<es_recorded_event>();
    Versions seen;
    while (backward.value()->next(event).value()) seen.push_back(event.stream_version);
    EXPECT_EQ(seen, (Versions{5, 4, 3}));
    EXPECT_TRUE(backward.value()->page().value().end_of_stream);

    read.forward = true;
    read.max_count = 2;
    auto forward = store_->read_stream(read);
    ASSERT_TRUE(forward.ok());
    while (forward.value()->next(event).value()) {}
    const es_page_info page = forward.value()->page().value();
    EXPECT_EQ(page.next_from_version, 5u);
    EXPECT_FALSE(page.end_of_stream);

    truncate.before_version = 100;
    ASSERT_OK(change(truncate));
    EXPECT_EQ(state_.truncate_before, 6u) << "capped at last_version + 1";
    EXPECT_EQ(rows("T"), 0);
    EXPECT_EQ(readable_versions(*store_, "T").status().code(), Code::not_found);
}

TEST_F(PostgresLifecycleTest, GivenAMaxCount_WhenMoreIsAppended_ThenOnlyTheLastAreReadAndTheSweepDeletesTheRest) {
    es_append_result result;
    ASSERT_TRUE(append_events(*store_, "Telemetry", 5, result).ok());
    es_stream_change_request retain = stream_change(ES_CHANGE_SET_RETENTION, "Telemetry");
    retain.max_count = 2;
    ASSERT_OK(change(retain));
    EXPECT_EQ(rows("Telemetry"), 2) << "the change deletes what its retention removes at once";
    ASSERT_TRUE(append_events(*store_, "Telemetry", 2, result).ok());
    EXPECT_EQ(versions("Telemetry"), (Versions{6, 7}));
    EXPECT_EQ(readable_positions(*store_, "Telemetry").value(),
              (Versions{result.last_global_position - 1, result.last_global_position}));
    for (int i = 0; i < 100 && rows("Telemetry") != 2; ++i) std::this_thread::sleep_for(20ms);
    EXPECT_EQ(rows("Telemetry"), 2) << "the sweep (every 100 ms here) deletes the expired rows";
}

TEST_F(PostgresLifecycleTest, GivenAMaxAge_WhenItPasses_ThenTheEventsAreNotReadAndTheSweepDeletesThem) {
    es_stream_change_request retain = stream_change(ES_CHANGE_SET_RETENTION, "Session");
    retain.max_age_us = 400000;
    ASSERT_OK(change(retain)) << "allowed before the first event";
    es_append_result result;
    ASSERT_TRUE(append_events(*store_, "Session", 2, result).ok());
    EXPECT_EQ(versions("Session"), (Versions{1, 2}));
    std::this_thread::sleep_for(450ms);
    EXPECT_EQ(readable_versions(*store_, "Session").status().code(), Code::not_found);
    EXPECT_EQ(readable_positions(*store_, "Session").value(), Versions{});
    for (int i = 0; i < 100 && rows("Session") != 0; ++i) std::this_thread::sleep_for(20ms);
    EXPECT_EQ(rows("Session"), 0);
}

TEST_F(PostgresLifecycleTest, GivenADeletedStreamOfATenant_WhenAnotherTenantTouchesIt_ThenItIsStillTheOwners) {
    ASSERT_TRUE(append_of_tenants(*store_, "Acme-1", {"acme"}).ok());
    es_stream_change_request request = stream_change(ES_CHANGE_DELETE, "Acme-1");
    request.owner_tenant = abi::bytes("globex");
    EXPECT_EQ(change(request).code(), Code::permission_denied);
    request.owner_tenant = abi::bytes("acme");
    ASSERT_OK(change(request));

    request.owner_tenant = abi::bytes("globex");
    EXPECT_EQ(change(request).code(), Code::permission_denied) << "the owner outlives the events";
    es_stream_state_request ask = abi::make_struct<es_stream_state_request>();
    ask.stream_id = abi::bytes("Acme-1");
    ask.owner_tenant = abi::bytes("globex");
    es_stream_state state = abi::make_struct<es_stream_state>();
    EXPECT_EQ(store_->stream_state(ask, state).code(), Code::not_found);
    ask.owner_tenant = abi::bytes("acme");
    EXPECT_TRUE(store_->stream_state(ask, state).ok());
    EXPECT_EQ(state.truncate_before, 2u);
}

TEST_F(PostgresLifecycleTest, GivenAppendsRacingDeletes_ThenEveryVersionOnceAndNoRowBelowTheTruncation) {
    constexpr int kWriters = 8;
    constexpr int kAppends = 40;
    std::atomic<bool> writing{true};
    std::vector<std::vector<uint64_t>> written(kWriters);
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
        threads.emplace_back([&, w] {
            for (int i = 0; i < kAppends; ++i) {
                es_append_result result;
                const Status status = append_events(*store_, "Race", 2, result);
                ASSERT_TRUE(status.ok()) << status.message();
                written[w].push_back(result.current_version);
            }
        });
    }
    std::thread deleter([&] {
        while (writing) {
            es_stream_state state = abi::make_struct<es_stream_state>();
            const Status status =
                store_->change_stream(stream_change(ES_CHANGE_DELETE, "Race"), state);
            ASSERT_TRUE(status.ok() || status.code() == Code::not_found) << status.message();
        }
    });
    for (auto& thread : threads) thread.join();
    writing = false;
    deleter.join();

    Versions all;
    for (const auto& mine : written) all.insert(all.end(), mine.begin(), mine.end());
    std::sort(all.begin(), all.end());
    ASSERT_EQ(std::adjacent_find(all.begin(), all.end()), all.end()) << "a version given twice";
    ASSERT_EQ(all.back(), uint64_t{2 * kWriters * kAppends});
    es_stream_state_request ask = abi::make_struct<es_stream_state_request>();
    ask.stream_id = abi::bytes("Race");
    es_stream_state state = abi::make_struct<es_stream_state>();
    ASSERT_TRUE(store_->stream_state(ask, state).ok());
    EXPECT_EQ(state.last_version, all.back());
    EXPECT_EQ(sql("SELECT count(*) FROM " + schema_ + ".events WHERE stream_id = 'Race' AND "
                  "stream_version < " + std::to_string(state.truncate_before))[0][0].as<int>(), 0);
    EXPECT_EQ(rows("Race"), static_cast<int>(state.last_version + 1 - std::max<uint64_t>(
                                                                        state.truncate_before, 1)));
}

}  // namespace
}  // namespace eventstore::test
