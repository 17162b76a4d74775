// Group commit through the loader, against a real database: appends arriving together share a
// transaction, yet each keeps its own verdict: a wrong expected version or an event PostgreSQL
// refuses fails only that append; identical retries racing each other are answered once; appends
// to one stream in one group get consecutive versions and the positions they were stored at;
// racing creators of one stream have one winner; an append into another owner's stream fails
// alone (plugin.h "Stream owners"), and owners racing to create one stream have one winner.
#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"
#include "pg_test_support.hpp"

namespace eventstore::test {
namespace {

constexpr int kThreads = 16;
constexpr int kRounds = 10;

// One append request that owns its bytes. With an `owner`, its events are of that tenant and it
// names that owner (owner_tenant), as the server sends a tenant's append.
class Request {
public:
    Request(std::string stream, std::vector<std::string> ids, std::string type = "Happened",
            std::string owner = "") {
        append_.request().stream_id = append_.keep(std::move(stream));
        const es_bytes type_name = append_.keep(std::move(type));
        const es_bytes tenant = append_.keep(std::move(owner));
        append_.request().owner_tenant = tenant;
        for (std::string& id : ids) {
            es_event_data& event = append_.add_event();
            event.event_id = append_.keep(std::move(id));
            event.type_name = type_name;
            event.tenant_id = tenant;
        }
    }
    es_append_request& get() { return append_.request(); }

private:
    abi::AppendBuilder append_;
};

std::string id(int thread, int round, int index = 0) {
    char text[37];
    std::snprintf(text, sizeof text, "00000000-%04x-7000-8000-%012x", thread, round * 100 + index);
    return text;
}

// Runs `body(thread, round)` on kThreads threads, the threads starting each round together.
template <class Body>
void in_rounds(Body body) {
    run_in_rounds(kThreads, kRounds, body);
}

TEST(GroupCommitTest, GivenAppendsArrivingTogether_ThenTheyShareTransactionsAndEachKeepsItsVerdict) {
    const std::string schema = unique_schema("group");
    auto store = open_store({{"schema", schema}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    std::mutex mutex;
    std::vector<std::string> problems;
    in_rounds([&](int t, int round) {
        // Even threads append to their own stream expecting its exact version (always right);
        // odd threads expect a version their stream never has.
        Request request("Group-" + std::to_string(t), {id(t, round)});
        request.get().expected_kind = ES_EXPECT_EXACT;
        request.get().expected_version = t % 2 == 0 ? round : 1000;
        es_append_result result = abi::make_struct<es_append_result>();
        const Status status = store.value()->append(request.get(), result);
        std::lock_guard lock(mutex);
        if (t % 2 == 0 && !(status.ok() && result.current_version == uint64_t(round) + 1)) {
            problems.push_back("thread " + std::to_string(t) + ": " + status.message());
        }
        const bool refused =
            status.code() == Code::failed_precondition && result.actual_version == 0;
        if (t % 2 == 1 && !refused) {
            problems.push_back("thread " + std::to_string(t) + " not refused: " + status.message());
        }
    });
    EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front());
    const int appends = kThreads / 2 * kRounds;
    EXPECT_EQ(sql("SELECT count(*) FROM " + schema + ".events")[0][0].as<int>(), appends);
    const int transactions =
        sql("SELECT count(DISTINCT xmin::text) FROM " + schema + ".events")[0][0].as<int>();
    EXPECT_LT(transactions, appends) << "no two appends shared a transaction";
    std::printf("%d appends in %d transactions\n", appends, transactions);
}

TEST(GroupCommitTest, GivenAnEventPostgresRefusesAmongOthers_ThenOnlyThatAppendFails) {
    const std::string schema = unique_schema("group_bad");
    auto store = open_store({{"schema", schema}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    std::mutex mutex;
    std::vector<std::string> problems;
    in_rounds([&](int t, int round) {
        const bool bad = t % 4 == 3;  // a type name that is not UTF-8: PostgreSQL refuses it
        Request request("Mixed-" + std::to_string(t), {id(t, round)}, bad ? "\xff\xfe" : "Fine");
        es_append_result result = abi::make_struct<es_append_result>();
        const Status status = store.value()->append(request.get(), result);
        std::lock_guard lock(mutex);
        if (bad && status.code() != Code::invalid_argument) {
            problems.push_back("bad append: " + std::string(code_name(status.code())) + " " +
                               status.message());
        }
        if (!bad && !status.ok()) problems.push_back("good append failed: " + status.message());
    });
    EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front());
    EXPECT_EQ(sql("SELECT count(*) FROM " + schema + ".events")[0][0].as<int>(),
              kThreads * 3 / 4 * kRounds);
}

TEST(GroupCommitTest, GivenIdenticalAppendsRacing_ThenOneIsWrittenAndEveryOneGetsItsResult) {
    const std::string schema = unique_schema("group_retry");
    auto store = open_store({{"schema", schema}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    std::mutex mutex;
    std::vector<std::vector<uint64_t>> outcomes(kRounds);
    std::vector<std::string> problems;
    in_rounds([&](int, int round) {
        Request request("Same", {id(0, round, 0), id(0, round, 1)});
        es_append_result result = abi::make_struct<es_append_result>();
        const Status status = store.value()->append(request.get(), result);
        std::lock_guard lock(mutex);
        if (!status.ok()) problems.push_back(status.message());
        outcomes[round].push_back(result.first_global_position);
    });
    EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front());
    for (const auto& positions : outcomes) {
        for (uint64_t position : positions) EXPECT_EQ(position, positions.front());
    }
    EXPECT_EQ(sql("SELECT count(*) FROM " + schema + ".events")[0][0].as<int>(), 2 * kRounds);
}

TEST(GroupCommitTest, GivenManyAppendsToOneStreamTogether_ThenConsecutiveVersionsAndTheirStoredPositions) {
    const std::string schema = unique_schema("group_chain");
    auto store = open_store({{"schema", schema}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    std::mutex mutex;
    std::vector<std::string> problems;
    std::vector<uint64_t> versions;
    in_rounds([&](int t, int round) {
        Request request("Chain", {id(t, round, 0), id(t, round, 1)});
        es_append_result result = abi::make_struct<es_append_result>();
        const Status status = store.value()->append(request.get(), result);
        const std::string check = "SELECT count(*) FROM " + schema + ".events WHERE event_id = '" +
                                  id(t, round, 1) + "' AND stream_version = " +
                                  std::to_string(result.current_version) +
                                  " AND global_position = " +
                                  std::to_string(result.last_global_position);
        const bool stored_there = status.ok() && sql(check)[0][0].as<int>() == 1;
        std::lock_guard lock(mutex);
        if (!status.ok()) problems.push_back(status.message());
        if (status.ok() && !stored_there) problems.push_back("result differs from the row");
        if (result.last_global_position != result.first_global_position + 1) {
            problems.push_back("positions not consecutive");
        }
        versions.push_back(result.current_version);
    });
    EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front());
    std::sort(versions.begin(), versions.end());
    for (size_t i = 0; i < versions.size(); ++i) EXPECT_EQ(versions[i], 2 * (i + 1));
    const pqxx::result rows = sql("SELECT stream_version, global_position FROM " + schema +
                                  ".events ORDER BY stream_version");
    ASSERT_EQ(rows.size(), 2u * kThreads * kRounds);
    for (size_t i = 1; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i][0].as<uint64_t>(), i + 1);
        EXPECT_GT(rows[i][1].as<uint64_t>(), rows[i - 1][1].as<uint64_t>());
    }
}

TEST(GroupCommitTest, GivenAppendsCreatingOneStreamTogether_ThenOneWinsAndTheOthersSeeVersionOne) {
    const std::string schema = unique_schema("group_create");
    auto store = open_store({{"schema", schema}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    std::mutex mutex;
    std::vector<int> winners(kRounds, 0);
    std::vector<std::string> problems;
    in_rounds([&](int t, int round) {
        Request request("Created-" + std::to_string(round), {id(t, round)});
        request.get().expected_kind = ES_EXPECT_NO_STREAM;
        es_append_result result = abi::make_struct<es_append_result>();
        const Status status = store.value()->append(request.get(), result);
        std::lock_guard lock(mutex);
        if (status.ok()) {
            ++winners[round];
        } else if (status.code() != Code::failed_precondition || result.actual_version != 1) {
            problems.push_back(std::string(code_name(status.code())) + " " + status.message());
        }
    });
    EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front());
    for (int round = 0; round < kRounds; ++round) EXPECT_EQ(winners[round], 1) << round;
    EXPECT_EQ(sql("SELECT count(*) FROM " + schema + ".events")[0][0].as<int>(), kRounds);
}

TEST(GroupCommitTest, GivenAppendsIntoAnotherOwnersStreamAmongOthers_ThenOnlyThoseArePermissionDenied) {
    const std::string schema = unique_schema("group_owner");
    auto store = open_store({{"schema", schema}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    // Every thread's stream belongs to acme.
    for (int t = 0; t < kThreads; ++t) {
        Request create("Owned-" + std::to_string(t), {id(t, kRounds)}, "Happened", "acme");
        es_append_result result = abi::make_struct<es_append_result>();
        ASSERT_TRUE(store.value()->append(create.get(), result).ok());
    }
    std::mutex mutex;
    std::vector<std::string> problems;
    in_rounds([&](int t, int round) {
        // Odd threads are globex, expecting the version acme's stream has: refused, no version.
        const bool intruder = t % 2 == 1;
        Request request("Owned-" + std::to_string(t), {id(t, round)}, "Happened",
                        intruder ? "globex" : "acme");
        request.get().expected_kind = ES_EXPECT_EXACT;
        request.get().expected_version = intruder ? 1 : round + 1;
        es_append_result result = abi::make_struct<es_append_result>();
        const Status status = store.value()->append(request.get(), result);
        std::lock_guard lock(mutex);
        if (!intruder && !status.ok()) problems.push_back("acme failed: " + status.message());
        if (intruder && (status.code() != Code::permission_denied || result.actual_version != 0)) {
            problems.push_back("globex not refused: " + std::string(code_name(status.code())) +
                               " " + status.message());
        }
    });
    EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front());
    EXPECT_EQ(sql("SELECT count(*) FROM " + schema + ".events WHERE tenant_id = 'globex'")[0][0]
                  .as<int>(),
              0);
    const int appends = kThreads / 2 * kRounds;
    const pqxx::result written = sql("SELECT count(*), count(DISTINCT xmin::text) FROM " + schema +
                                     ".events WHERE tenant_id = 'acme' AND stream_version > 1");
    EXPECT_EQ(written[0][0].as<int>(), appends);
    EXPECT_LT(written[0][1].as<int>(), appends) << "no two appends shared a transaction";
}

TEST(GroupCommitTest, GivenOwnersCreatingOneStreamTogether_ThenOneOwnerHasItAndTheOthersAreRefused) {
    const std::string schema = unique_schema("group_owner_race");
    auto store = open_store({{"schema", schema}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    std::mutex mutex;
    std::vector<std::string> problems;
    in_rounds([&](int t, int round) {
        // Threads of four tenants append to the round's new stream, expecting any version.
        Request request("Raced-" + std::to_string(round), {id(t, round)}, "Happened",
                        "tenant-" + std::to_string(t % 4));
        es_append_result result = abi::make_struct<es_append_result>();
        const Status status = store.value()->append(request.get(), result);
        std::lock_guard lock(mutex);
        if (!status.ok() && status.code() != Code::permission_denied) {
            problems.push_back(std::string(code_name(status.code())) + " " + status.message());
        }
    });
    EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front());
    const pqxx::result streams =
        sql("SELECT s.stream_id, s.owner, count(DISTINCT e.tenant_id), min(e.tenant_id), "
            "count(*) FROM " + schema + ".streams s JOIN " + schema +
            ".events e USING (stream_id) GROUP BY s.stream_id, s.owner");
    ASSERT_EQ(streams.size(), size_t{kRounds});
    for (const pqxx::row& stream : streams) {
        EXPECT_EQ(stream[2].as<int>(), 1) << stream[0].c_str() << ": events of several tenants";
        EXPECT_EQ(stream[1].as<std::string>(), stream[3].as<std::string>()) << stream[0].c_str();
        EXPECT_EQ(stream[4].as<int>(), kThreads / 4) << stream[0].c_str();
    }
}

}  // namespace
}  // namespace eventstore::test
