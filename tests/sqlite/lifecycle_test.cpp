// The sqlite backend's stream lifecycle (issue 18; plugin.h "Stream lifecycle";
// docs/sqlite-backend.md "Stream lifecycle" and "Erasure"), through the loader as the server
// calls it: the erasure of a deleted stream's bytes from the database, -wal and -shm files, the
// positions and versions that are never given again (also across a restart), tombstones that
// outlive a restart, and retention filtered at read time and swept by the writer.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "eventstore/append_builder.hpp"
#include "process_support.hpp"
#include "sqlite_test_support.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

// A payload no other byte run of the file can contain by chance.
const std::string kMarker = "ERASE-ME-7f3a9c1e-d2b4-4b8e-9a61-0c5e3f2d8b17";

class SqliteLifecycleTest : public ::testing::Test {
protected:
    void SetUp() override { reopen(); }

    void reopen() {
        store_.reset();
        auto opened = open_store(database());
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        store_ = std::move(opened.value());
    }

    std::filesystem::path database() const { return dir_.path() / "events.db"; }

    // Appends one event per payload to `stream` with `expected_kind` (and expected_version).
    Status append(const std::string& stream, const std::vector<std::string>& payloads,
                  es_append_result& result, uint32_t expected_kind = ES_EXPECT_ANY,
                  uint64_t expected_version = 0, const std::string& event_id = "",
                  const std::string& tenant = "") {
        abi::AppendBuilder builder;
        for (const std::string& payload : payloads) {
            es_event_data& event = builder.add_event();
            event.event_id = builder.keep(event_id.empty() ? new_uuid() : event_id);
            event.type_name = abi::bytes("Happened");
            event.content_type = abi::bytes("application/octet-stream");
            event.tenant_id = builder.keep(tenant);
            event.payload = builder.keep(payload);
        }
        builder.request().stream_id = abi::bytes(stream);
        builder.request().expected_kind = expected_kind;
        builder.request().expected_version = expected_version;
        result = abi::make_struct<es_append_result>();
        return store_->append(builder.request(), result);
    }
    Status append(const std::string& stream, int count) {
        es_append_result result{};
        return append(stream, std::vector<std::string>(count, "payload"), result);
    }

    Status change(uint32_t kind, const std::string& stream, es_stream_state& state,
                  uint32_t expected_kind = ES_EXPECT_ANY, uint64_t expected_version = 0,
                  uint64_t before_version = 0, uint64_t max_count = 0, uint64_t max_age_us = 0,
                  const std::string& owner = "") {
        es_stream_change_request request = abi::make_struct<es_stream_change_request>();
        request.kind = kind;
        request.stream_id = abi::bytes(stream);
        request.expected_kind = expected_kind;
        request.expected_version = expected_version;
        request.before_version = before_version;
        request.max_count = max_count;
        request.max_age_us = max_age_us;
        request.owner_tenant = abi::bytes(owner);
        state = abi::make_struct<es_stream_state>();
        return store_->change_stream(request, state);
    }
    Status change(uint32_t kind, const std::string& stream) {
        es_stream_state state{};
        return change(kind, stream, state);
    }

    Status state_of(const std::string& stream, es_stream_state& state, const std::string& owner = "") {
        es_stream_state_request request = abi::make_struct<es_stream_state_request>();
        request.stream_id = abi::bytes(stream);
        request.owner_tenant = abi::bytes(owner);
        state = abi::make_struct<es_stream_state>();
        return store_->stream_state(request, state);
    }

    // The versions a read of `stream` returns (forward or backward, pages of `page`), or the
    // read's status when it fails.
    Result<std::vector<uint64_t>> versions(const std::string& stream, bool forward = true,
                                           uint32_t page = 100) {
        std::vector<uint64_t> versions;
        uint64_t from = 0;
        for (;;) {
            es_read_stream_request request = abi::make_struct<es_read_stream_request>();
            request.stream_id = abi::bytes(stream);
            request.forward = forward;
            request.from_version = from;
            request.max_count = page;
            auto iterator = store_->read_stream(request);
            if (!iterator.ok()) return iterator.status();
            es_recorded_event event = abi::make_struct<es_recorded_event>();
            for (;;) {
                auto has = iterator.value()->next(event);
                if (!has.ok()) return has.status();
                if (!has.value()) break;
                versions.push_back(event.stream_version);
            }
            auto info = iterator.value()->page();
            if (!info.ok()) return info.status();
            if (info.value().end_of_stream) return versions;
            from = info.value().next_from_version;
        }
    }

    // Every event read_all returns, as "stream@version:position:payload", pages of 2, and the
    // last page's last_scanned_position.
    std::vector<std::string> read_all(uint64_t* last_scanned = nullptr) {
        std::vector<std::string> seen;
        uint64_t after = 0;
        for (;;) {
            es_read_all_request request = abi::make_struct<es_read_all_request>();
            request.after_position = after;
            request.max_count = 2;
            auto iterator = store_->read_all(request);
            EXPECT_TRUE(iterator.ok()) << iterator.status().message();
            if (!iterator.ok()) return seen;
            es_recorded_event event = abi::make_struct<es_recorded_event>();
            for (;;) {
                auto has = iterator.value()->next(event);
                EXPECT_TRUE(has.ok());
                if (!has.ok() || !has.value()) break;
                seen.push_back(std::string(abi::view(event.stream_id)) + "@" +
                               std::to_string(event.stream_version) + ":" +
                               std::to_string(event.global_position) + ":" +
                               std::string(abi::view(event.payload)));
            }
            const es_page_info page = iterator.value()->page().value();
            after = page.last_scanned_position;
            if (page.reached_head) break;
        }
        if (last_scanned != nullptr) *last_scanned = after;
        return seen;
    }

    // The files of the database that hold `bytes`.
    std::vector<std::string> files_holding(const std::string& bytes) const {
        std::vector<std::string> holding;
        for (const char* suffix : {"", "-wal", "-shm"}) {
            const std::filesystem::path file = database().string() + suffix;
            if (std::filesystem::exists(file) && file_bytes(file).find(bytes) != std::string::npos) {
                holding.push_back(file.filename().string());
            }
        }
        return holding;
    }

    // The rows of `stream` in the events table, counted with SQLite directly.
    int64_t rows_of(const std::string& stream) const {
        sqlite3* db = nullptr;
        EXPECT_EQ(sqlite3_open_v2(database().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        sqlite3_stmt* statement = nullptr;
        sqlite3_prepare_v2(db, "SELECT count(*) FROM events WHERE stream_id = ?1", -1, &statement,
                           nullptr);
        sqlite3_bind_blob(statement, 1, stream.data(), static_cast<int>(stream.size()),
                          SQLITE_TRANSIENT);
        const int64_t rows = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : -1;
        sqlite3_finalize(statement);
        sqlite3_close(db);
        return rows;
    }

    TempDir dir_;
    std::unique_ptr<loader::Store> store_;
};

TEST_F(SqliteLifecycleTest, GivenADeletedStream_WhenTheFilesAreSearched_ThenItsPayloadIsInNone) {
    es_append_result result{};
    // A small payload (in the row's page) and a large one (on overflow pages).
    ASSERT_TRUE(append("Secret", {kMarker, kMarker + std::string(20000, 'z') + kMarker}, result).ok());
    ASSERT_TRUE(append("Kept", {"kept"}, result).ok());
    ASSERT_FALSE(files_holding(kMarker).empty()) << "the search cannot find the marker it looks for";

    es_stream_state state{};
    ASSERT_TRUE(change(ES_CHANGE_DELETE, "Secret", state, ES_EXPECT_EXACT, 2).ok());

    EXPECT_EQ(files_holding(kMarker), std::vector<std::string>{})
        << "the deleted payload is still in these files";
    EXPECT_EQ(versions("Secret").status().code(), Code::not_found);
    EXPECT_EQ(read_all(), std::vector<std::string>{"Kept@1:3:kept"});
    EXPECT_EQ(rows_of("Secret"), 0);
}

TEST_F(SqliteLifecycleTest, GivenADeletedStream_WhenAppendedTo_ThenItsVersionsGoOnAndOnlyTheNewEventReads) {
    ASSERT_TRUE(append("S", 2).ok());
    es_stream_state state{};
    ASSERT_TRUE(change(ES_CHANGE_DELETE, "S", state, ES_EXPECT_EXACT, 2).ok());
    EXPECT_EQ(state.last_version, 2u);
    EXPECT_EQ(state.truncate_before, 3u);
    EXPECT_FALSE(state.tombstoned);
    EXPECT_TRUE(change(ES_CHANGE_DELETE, "S").ok()) << "deleting a deleted stream changes nothing";

    es_append_result result{};
    ASSERT_EQ(append("S", {"again"}, result, ES_EXPECT_NO_STREAM).code(), Code::failed_precondition);
    EXPECT_EQ(result.actual_version, 2u);
    EXPECT_FALSE(result.tombstoned);
    ASSERT_TRUE(append("S", {"again"}, result).ok());
    EXPECT_EQ(result.current_version, 3u);
    EXPECT_EQ(versions("S").value(), (std::vector<uint64_t>{3}));
    EXPECT_EQ(versions("S", false).value(), (std::vector<uint64_t>{3}));
    uint64_t scanned = 0;
    EXPECT_EQ(read_all(&scanned), std::vector<std::string>{"S@3:3:again"});
    EXPECT_EQ(scanned, 3u);
}

TEST_F(SqliteLifecycleTest, GivenAWrongExpectedVersion_WhenDeleting_ThenRefusedAndNothingRemoved) {
    ASSERT_TRUE(append("S", 2).ok());
    es_stream_state state{};
    EXPECT_EQ(change(ES_CHANGE_DELETE, "S", state, ES_EXPECT_EXACT, 1).code(),
              Code::failed_precondition);
    EXPECT_EQ(state.last_version, 2u);
    EXPECT_EQ(change(ES_CHANGE_DELETE, "Never", state).code(), Code::not_found);
    EXPECT_EQ(change(ES_CHANGE_DELETE, "Never", state, ES_EXPECT_STREAM_EXISTS).code(),
              Code::failed_precondition);
    EXPECT_EQ(versions("S").value(), (std::vector<uint64_t>{1, 2}));
}

TEST_F(SqliteLifecycleTest, GivenATombstone_WhenAppendedChangedOrReopened_ThenRefusedForGood) {
    ASSERT_TRUE(append("S", 2).ok());
    ASSERT_TRUE(change(ES_CHANGE_TOMBSTONE, "S").ok());
    ASSERT_TRUE(change(ES_CHANGE_TOMBSTONE, "Unused").ok()) << "a name with no event can be tombstoned";
    reopen();
    for (const std::string stream : {"S", "Unused"}) {
        es_append_result result{};
        EXPECT_EQ(append(stream, {"late"}, result).code(), Code::failed_precondition) << stream;
        EXPECT_TRUE(result.tombstoned) << stream;
        es_stream_state state{};
        for (uint32_t kind : {ES_CHANGE_DELETE, ES_CHANGE_TOMBSTONE, ES_CHANGE_TRUNCATE,
                              ES_CHANGE_SET_RETENTION}) {
            EXPECT_EQ(change(kind, stream, state).code(), Code::failed_precondition) << kind;
            EXPECT_TRUE(state.tombstoned);
        }
        EXPECT_EQ(versions(stream).status().code(), Code::not_found);
        ASSERT_TRUE(state_of(stream, state).ok());
        EXPECT_TRUE(state.tombstoned);
    }
    es_stream_state state{};
    ASSERT_TRUE(state_of("S", state).ok());
    EXPECT_EQ(state.last_version, 2u);
    EXPECT_EQ(state.truncate_before, 3u);
}

TEST_F(SqliteLifecycleTest, GivenTheLastEventsRemoved_WhenReopenedAndAppended_ThenTheirPositionsAreNotGivenAgain) {
    ASSERT_TRUE(append("S", 3).ok());
    ASSERT_TRUE(change(ES_CHANGE_DELETE, "S").ok());
    reopen();
    es_append_result result{};
    ASSERT_TRUE(append("T", {"next"}, result).ok());
    EXPECT_EQ(result.first_global_position, 4u);
}

TEST_F(SqliteLifecycleTest, GivenATruncation_WhenRead_ThenTheEventsBelowAreGoneAndPagesEndThere) {
    ASSERT_TRUE(append("S", 5).ok());
    es_stream_state state{};
    ASSERT_TRUE(change(ES_CHANGE_TRUNCATE, "S", state, 0, 0, 3).ok());
    EXPECT_EQ(state.truncate_before, 3u);
    ASSERT_TRUE(change(ES_CHANGE_TRUNCATE, "S", state, 0, 0, 2).ok());
    EXPECT_EQ(state.truncate_before, 3u) << "truncate_before never goes back";
    EXPECT_EQ(versions("S", true, 2).value(), (std::vector<uint64_t>{3, 4, 5}));
    EXPECT_EQ(versions("S", false, 2).value(), (std::vector<uint64_t>{5, 4, 3}));
    EXPECT_EQ(rows_of("S"), 3);
    ASSERT_TRUE(change(ES_CHANGE_TRUNCATE, "S", state, 0, 0, 100).ok());
    EXPECT_EQ(state.truncate_before, 6u) << "capped at last_version + 1";
    EXPECT_EQ(versions("S").status().code(), Code::not_found);
    EXPECT_EQ(change(ES_CHANGE_TRUNCATE, "Never", state, 0, 0, 2).code(), Code::not_found);
}

TEST_F(SqliteLifecycleTest, GivenRetentionByCount_WhenRead_ThenOnlyTheLastAreReadableAndTheSweepRemovesTheRest) {
    es_stream_state state{};
    ASSERT_TRUE(change(ES_CHANGE_SET_RETENTION, "S", state, 0, 0, 0, 2).ok())
        << "retention may be set before the first event";
    ASSERT_TRUE(state_of("S", state).ok());
    EXPECT_EQ(state.max_count, 2u);
    ASSERT_TRUE(append("S", 5).ok());
    ASSERT_TRUE(append("T", 1).ok());
    EXPECT_EQ(versions("S").value(), (std::vector<uint64_t>{4, 5}));
    EXPECT_EQ(versions("S", false, 1).value(), (std::vector<uint64_t>{5, 4}));
    EXPECT_EQ(read_all().size(), 3u);
    std::this_thread::sleep_for(2500ms);  // two sweeps
    EXPECT_EQ(rows_of("S"), 2);
    EXPECT_EQ(read_all().size(), 3u);
}

TEST_F(SqliteLifecycleTest, GivenRetentionByAge_WhenTheEventsAgePastIt_ThenTheyReadAsMissingAndAreSwept) {
    es_append_result result{};
    const std::string id = new_uuid();
    ASSERT_TRUE(append("S", {"old"}, result, ES_EXPECT_ANY, 0, id).ok());
    es_stream_state state{};
    ASSERT_TRUE(change(ES_CHANGE_SET_RETENTION, "S", state, 0, 0, 0, 0, 300000).ok());
    EXPECT_EQ(versions("S").value(), (std::vector<uint64_t>{1}));
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(versions("S").status().code(), Code::not_found);
    EXPECT_EQ(read_all(), std::vector<std::string>{});
    // The expired event's id is free again, swept or not.
    ASSERT_TRUE(append("S", {"new"}, result, ES_EXPECT_ANY, 0, id).ok());
    EXPECT_EQ(result.current_version, 2u) << "a new append, not a retry of the expired one";
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(rows_of("S"), 0);
}

TEST_F(SqliteLifecycleTest, GivenADeletedAppend_WhenRetried_ThenItIsANewAppend) {
    es_append_result result{};
    const std::string id = new_uuid();
    ASSERT_TRUE(append("S", {"first"}, result, ES_EXPECT_ANY, 0, id).ok());
    ASSERT_TRUE(change(ES_CHANGE_DELETE, "S").ok());
    ASSERT_TRUE(append("S", {"first"}, result, ES_EXPECT_ANY, 0, id).ok());
    EXPECT_EQ(result.current_version, 2u);
    EXPECT_EQ(result.first_global_position, 2u);
}

TEST_F(SqliteLifecycleTest, GivenAnotherTenantsStream_WhenChangedOrItsStateRead_ThenRefusedAsTheContractSays) {
    es_append_result result{};
    ASSERT_TRUE(append("S", {"mine"}, result, ES_EXPECT_ANY, 0, "", "acme").ok());
    ASSERT_TRUE(change(ES_CHANGE_DELETE, "S").ok());
    es_stream_state state{};
    EXPECT_EQ(change(ES_CHANGE_TOMBSTONE, "S", state, ES_EXPECT_EXACT, 7, 0, 0, 0, "globex").code(),
              Code::permission_denied)
        << "the owner outlives the events, and is checked before the expected version";
    EXPECT_EQ(state_of("S", state, "globex").code(), Code::not_found);
    EXPECT_TRUE(state_of("S", state, "acme").ok());
    EXPECT_TRUE(change(ES_CHANGE_TOMBSTONE, "S", state, ES_EXPECT_EXACT, 1, 0, 0, 0, "acme").ok());
}

TEST_F(SqliteLifecycleTest, GivenAStreamNeverUsed_WhenItsStateIsRead_ThenNotFound) {
    es_stream_state state{};
    EXPECT_EQ(state_of("Never", state).code(), Code::not_found);
}

TEST_F(SqliteLifecycleTest, GivenDeletesRacingAppendsAndReads_WhenAllIsDone_ThenEveryClauseHolds) {
    // 20 appenders, 6 deleters, 6 readers on one stream.
    constexpr int kAppenders = 20, kDeleters = 6, kReaders = 6, kAppends = 30;
    std::mutex mutex;
    std::set<uint64_t> appended_versions;
    std::vector<std::string> failures;
    std::atomic<bool> appending{true};
    auto fail = [&](const std::string& what) {
        std::lock_guard lock(mutex);
        failures.push_back(what);
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < kAppenders; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kAppends; ++i) {
                es_append_result result{};
                const Status status = append("Race", {"e"}, result);
                if (!status.ok()) {
                    fail("append: " + status.message());
                    continue;
                }
                std::lock_guard lock(mutex);
                if (!appended_versions.insert(result.current_version).second) {
                    failures.push_back("version given twice: " + std::to_string(result.current_version));
                }
            }
        });
    }
    for (int t = 0; t < kDeleters; ++t) {
        threads.emplace_back([&] {
            while (appending) {
                es_stream_state state{};
                const Status status = change(ES_CHANGE_DELETE, "Race", state);
                if (status.ok() && state.truncate_before != state.last_version + 1) {
                    fail("a delete left truncate_before " + std::to_string(state.truncate_before) +
                         " at last_version " + std::to_string(state.last_version));
                } else if (!status.ok() && status.code() != Code::not_found) {
                    fail("delete: " + status.message());
                }
            }
        });
    }
    for (int t = 0; t < kReaders; ++t) {
        threads.emplace_back([&, t] {
            while (appending) {
                // One page (one snapshot): pages of different snapshots may skip legitimately.
                auto read = versions("Race", t % 2 == 0, 1000);
                if (!read.ok()) {
                    if (read.status().code() != Code::not_found) fail("read: " + read.status().message());
                    continue;
                }
                std::vector<uint64_t> seen = read.value();
                std::sort(seen.begin(), seen.end());
                for (size_t i = 1; i < seen.size(); ++i) {
                    if (seen[i] != seen[i - 1] + 1) fail("a read skipped inside the readable range");
                }
            }
        });
    }
    for (int t = 0; t < kAppenders; ++t) threads[t].join();
    appending = false;
    for (size_t t = kAppenders; t < threads.size(); ++t) threads[t].join();
    EXPECT_EQ(failures, std::vector<std::string>{});
    EXPECT_EQ(appended_versions.size(), size_t{kAppenders * kAppends});
    es_stream_state state{};
    ASSERT_TRUE(state_of("Race", state).ok());
    EXPECT_EQ(state.last_version, uint64_t{kAppenders * kAppends});
    // What is left reads alike through read_stream and read_all, and its rows are all there is.
    const auto left = versions("Race");
    const std::vector<std::string> all = read_all();
    EXPECT_EQ(rows_of("Race"), static_cast<int64_t>(all.size()));
    if (left.ok()) {
        EXPECT_EQ(left.value().size(), all.size());
        EXPECT_EQ(left.value().back(), state.last_version);
    } else {
        EXPECT_TRUE(all.empty());
    }
}

}  // namespace
}  // namespace eventstore::test
