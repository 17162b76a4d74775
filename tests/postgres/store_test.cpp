// The postgres store through the loader, against a real database: what the server and the
// conformance suite do not show on their own. Options refused at open, an unreachable database,
// a pooled connection the server ended while it was idle,
// commits heard across stores (LISTEN/NOTIFY) also after the listening connection is killed, a
// stuck lock that fails a call instead of hanging it, the append-only log, text PostgreSQL
// cannot hold, and iterators that outlive their store.
#include <gtest/gtest.h>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"
#include "pg_test_support.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

TEST(PostgresStoreTest, GivenAnUnknownOption_WhenOpening_ThenInvalidArgumentNamingIt) {
    auto store = open_store({{"pool_sise", "3"}});
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), Code::invalid_argument);
    EXPECT_NE(store.status().message().find("unknown option 'pool_sise' for the postgres backend"),
              std::string::npos)
        << store.status().message();
}

TEST(PostgresStoreTest, GivenAnUnreachableDatabase_WhenOpening_ThenUnavailableSayingSo) {
    loader::OpenOptions options;
    options.options = {{"dsn", "host=/nonexistent-eventstore-socket-dir port=1"}};
    auto store = postgres_plugin()->open(options, std::make_shared<RecordingHooks>());
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), Code::unavailable);
    EXPECT_NE(store.status().message().find("database unreachable"), std::string::npos)
        << store.status().message();
}

TEST(PostgresStoreTest, GivenTheDatabaseGoesAway_WhenAskedForHealth_ThenUnavailableAfterOkBefore) {
    pqxx::connection admin(test_dsn());
    pqxx::nontransaction(admin).exec0("CREATE DATABASE health_probe");
    loader::OpenOptions options;
    options.options = {{"dsn", test_dsn() + " dbname=health_probe"}};
    auto store = postgres_plugin()->open(options, std::make_shared<RecordingHooks>());
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_TRUE(store.value()->check_health().ok());

    pqxx::nontransaction(admin).exec0("DROP DATABASE health_probe WITH (FORCE)");
    const Status health = store.value()->check_health();
    EXPECT_EQ(health.code(), Code::unavailable) << health.message();
    EXPECT_NE(health.message().find("database unreachable"), std::string::npos) << health.message();
}

TEST(PostgresStoreTest, GivenTwoStoresOnOneDatabase_WhenOneAppends_ThenTheOtherHearsOfEachCommit) {
    const std::string schema = unique_schema("listen");
    auto writer = open_store({{"schema", schema}});
    ASSERT_TRUE(writer.ok()) << writer.status().message();
    auto hooks = std::make_shared<RecordingHooks>();
    auto listener = open_store({{"schema", schema}}, hooks);
    ASSERT_TRUE(listener.ok()) << listener.status().message();
    // The first commit may be heard by the listener's first read of the head; once it is, the
    // listener is LISTENing, so the later ones can only arrive as notifications.
    for (int round = 1; round <= 3; ++round) {
        es_append_result result;
        ASSERT_TRUE(append_events(*writer.value(), "S", 2, result).ok());
        EXPECT_TRUE(hooks->wait_for_commit(result.last_global_position, 5s))
            << "round " << round << ": the other store did not hear of position "
            << result.last_global_position;
    }
}

TEST(PostgresStoreTest, GivenTheListeningConnectionIsKilled_WhenAnotherStoreAppends_ThenTheCommitIsStillHeard) {
    const std::string schema = unique_schema("relisten");
    auto writer = open_store({{"schema", schema}});
    ASSERT_TRUE(writer.ok()) << writer.status().message();
    auto hooks = std::make_shared<RecordingHooks>();
    auto listener = open_store({{"schema", schema}}, hooks);
    ASSERT_TRUE(listener.ok()) << listener.status().message();
    es_append_result result;
    ASSERT_TRUE(append_events(*writer.value(), "S", 1, result).ok());
    ASSERT_TRUE(hooks->wait_for_commit(result.last_global_position, 5s));

    const auto killed = sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE application_name = 'eventstore-listen'");
    ASSERT_GE(killed[0][0].as<int>(), 2) << "both stores LISTEN";
    for (int round = 1; round <= 3; ++round) {
        ASSERT_TRUE(append_events(*writer.value(), "S", 1, result).ok());
        EXPECT_TRUE(hooks->wait_for_commit(result.last_global_position, 5s)) << "round " << round;
    }
    EXPECT_NE(hooks->logs().find("listening for commits on '" + schema + "_commits' again"),
              std::string::npos)
        << hooks->logs();
}

TEST(PostgresStoreTest, GivenItsPooledConnectionEndedByTheServer_WhenAppending_ThenTheAppendRunsOnAFreshOne) {
    loader::OpenOptions options;
    options.options = {{"dsn", test_dsn() + " application_name=ended_while_idle"},
                       {"schema", unique_schema("ended")}, {"pool_size", "1"}};
    auto store = postgres_plugin()->open(options, std::make_shared<RecordingHooks>());
    ASSERT_TRUE(store.ok()) << store.status().message();
    es_append_result result;
    ASSERT_TRUE(append_events(*store.value(), "S", 1, result).ok());

    // Waits (up to 5 s each) until the backends are gone: their goodbye is on the sockets.
    const auto ended = sql("SELECT bool_and(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                           "WHERE application_name = 'ended_while_idle'");
    ASSERT_TRUE(ended[0][0].as<bool>());
    // Sent on the dead connection, the append's outcome would be unknown (UNAVAILABLE).
    const Status status = append_events(*store.value(), "S", 1, result);
    EXPECT_TRUE(status.ok()) << status.message();
    EXPECT_EQ(result.current_version, 2u);
}

TEST(PostgresStoreTest, GivenTheHeadLockedElsewhere_WhenAppending_ThenUnavailableAfterTheStatementTimeout) {
    const std::string schema = unique_schema("stuck");
    auto store = open_store({{"schema", schema}, {"statement_timeout_ms", "300"}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    pqxx::connection blocker(test_dsn());
    auto holding = std::make_unique<pqxx::work>(blocker);
    holding->exec("SELECT * FROM " + schema + ".head FOR UPDATE");

    es_append_result result;
    const auto started = std::chrono::steady_clock::now();
    const Status stuck = append_events(*store.value(), "S", 1, result);
    EXPECT_EQ(stuck.code(), Code::unavailable) << stuck.message();
    EXPECT_NE(stuck.message().find("statement timeout"), std::string::npos) << stuck.message();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);

    holding.reset();  // rolls back: the lock is gone
    EXPECT_TRUE(append_events(*store.value(), "S", 1, result).ok());
}

TEST(PostgresStoreTest, GivenStoredEvents_WhenSomeoneUpdatesOrDeletesThem_ThenTheDatabaseRefuses) {
    const std::string schema = unique_schema("immutable");
    auto store = open_store({{"schema", schema}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    es_append_result result;
    ASSERT_TRUE(append_events(*store.value(), "S", 1, result).ok());
    for (const std::string& statement : {"UPDATE " + schema + ".events SET type_name = 'x'",
                                        "DELETE FROM " + schema + ".events",
                                        "TRUNCATE " + schema + ".events"}) {
        try {
            sql(statement);
            ADD_FAILURE() << statement << " was allowed";
        } catch (const pqxx::sql_error& e) {
            EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
        }
    }
}

TEST(PostgresStoreTest, GivenANulInATypeName_WhenAppending_ThenInvalidArgumentNamingTheField) {
    auto store = open_store({{"schema", unique_schema("nul")}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    const std::string type("Ty\0pe", 5);
    abi::AppendBuilder append;
    append.request().stream_id = abi::bytes("S");
    es_event_data& event = append.add_event();
    event.event_id = abi::bytes("0190a2c4-0000-7000-8000-000000000001");
    event.type_name = abi::bytes(type);
    es_append_result result = abi::make_struct<es_append_result>();
    const Status status = store.value()->append(append.request(), result);
    EXPECT_EQ(status.code(), Code::invalid_argument);
    EXPECT_NE(status.message().find("events[0].metadata.type_name contains a NUL byte"),
              std::string::npos)
        << status.message();
}

TEST(PostgresStoreTest, GivenAnOpenIterator_WhenTheStoreIsClosed_ThenTheIteratorStillReadsItsPage) {
    auto store = open_store({{"schema", unique_schema("outlive")}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    es_append_result result;
    ASSERT_TRUE(append_events(*store.value(), "S", 3, result).ok());
    es_read_all_request request = abi::make_struct<es_read_all_request>();
    request.max_count = 10;
    auto iterator = store.value()->read_all(request);
    ASSERT_TRUE(iterator.ok()) << iterator.status().message();
    store.value().reset();
    es_recorded_event event;
    for (uint64_t position = 1; position <= 3; ++position) {
        auto next = iterator.value()->next(event);
        ASSERT_TRUE(next.ok() && next.value());
        EXPECT_EQ(event.global_position, position);
    }
    auto end = iterator.value()->next(event);
    ASSERT_TRUE(end.ok());
    EXPECT_FALSE(end.value());
    EXPECT_TRUE(iterator.value()->page().value().reached_head);
}

}  // namespace
}  // namespace eventstore::test
