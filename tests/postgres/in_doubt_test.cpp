// Appends whose outcome the backend cannot know. A relay (tcp_relay.hpp) between the plugin and
// PostgreSQL cuts the connection at the moment PostgreSQL answers the statement that committed,
// so the events are stored but the plugin never hears it. The append must be answered UNAVAILABLE
// saying its outcome is unknown (never "nothing was written", never a re-run whose own failure
// hides that), and a retry with the same event ids must get the original result. Both ways of
// writing: the one autocommit statement (through the store) and the careful way's COMMIT (the
// appender on a session of its own).
#include <gtest/gtest.h>

#include <cstdlib>

#include "appender.hpp"
#include "connection_pool.hpp"
#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"
#include "pg_errors.hpp"
#include "pg_test_support.hpp"
#include "tcp_relay.hpp"

namespace eventstore::test {
namespace {

// In a reply of the one-statement append: the name of its first column (RowDescription).
const std::string kAppendStatementReply("base\0", 5);
// In the reply to COMMIT: its command tag (CommandComplete).
const std::string kCommitReply("COMMIT\0", 7);

// The harness's database, reached through `relay`.
std::string through(const TcpRelay& relay) {
    return test_dsn() + " host=127.0.0.1 port=" + std::to_string(relay.port());
}

uint16_t database_port() { return static_cast<uint16_t>(std::atoi(std::getenv("PGPORT"))); }

// An append of `ids` to `stream`, expecting the stream at exactly `version`.
class Append {
public:
    Append(const std::string& stream, const std::vector<std::string>& ids, uint64_t version) {
        append_.request().stream_id = append_.keep(stream);
        append_.request().expected_kind = ES_EXPECT_EXACT;
        append_.request().expected_version = version;
        for (const std::string& id : ids) {
            es_event_data& event = append_.add_event();
            event.event_id = append_.keep(id);
            event.type_name = abi::bytes("Happened");
        }
    }
    const es_append_request& request() { return append_.request(); }

private:
    abi::AppendBuilder append_;
};

struct Stored {
    uint64_t current_version, first_position, last_position;
};

// Where the events of `stream` at versions first..last are stored, as an append's result says.
Stored stored(const std::string& schema, const std::string& stream, uint64_t first, uint64_t last) {
    const pqxx::result rows = sql("SELECT min(global_position), max(global_position), count(*) FROM " +
                                  schema + ".events WHERE stream_id = '" + stream +
                                  "' AND stream_version BETWEEN " + std::to_string(first) +
                                  " AND " + std::to_string(last));
    EXPECT_EQ(rows[0][2].as<uint64_t>(), last - first + 1);
    return {last, rows[0][0].as<uint64_t>(0), rows[0][1].as<uint64_t>(0)};
}

void expect_outcome_unknown(const Status& status) {
    EXPECT_EQ(status.code(), Code::unavailable) << status.message();
    EXPECT_NE(status.message().find("outcome is unknown"), std::string::npos) << status.message();
    EXPECT_NE(status.message().find("retry with the same event ids"), std::string::npos)
        << status.message();
}

void expect_result(const es_append_result& result, const Stored& original) {
    EXPECT_EQ(result.current_version, original.current_version);
    EXPECT_EQ(result.first_global_position, original.first_position);
    EXPECT_EQ(result.last_global_position, original.last_position);
}

TEST(PostgresInDoubtTest, GivenTheConnectionCutAfterTheAppendStatementCommitted_ThenOutcomeUnknownAndTheRetryGetsTheOriginal) {
    const std::string schema = unique_schema("doubt_statement");
    TcpRelay relay(database_port());
    loader::OpenOptions options;
    options.options = {{"dsn", through(relay)}, {"schema", schema}, {"pool_size", "1"}};
    auto store = postgres_plugin()->open(options, std::make_shared<RecordingHooks>());
    ASSERT_TRUE(store.ok()) << store.status().message();
    es_append_result result = abi::make_struct<es_append_result>();
    Append first("S", {"0190a2c4-0000-7000-8000-00000000d001"}, 0);
    ASSERT_TRUE(store.value()->append(first.request(), result).ok());

    relay.cut_at_reply(kAppendStatementReply);
    Append append("S", {"0190a2c4-0000-7000-8000-00000000d002", "0190a2c4-0000-7000-8000-00000000d003"}, 1);
    expect_outcome_unknown(store.value()->append(append.request(), result));
    relay.wait_for_cut();
    const Stored original = stored(schema, "S", 2, 3);

    result = abi::make_struct<es_append_result>();
    const Status retry = store.value()->append(append.request(), result);
    ASSERT_TRUE(retry.ok()) << retry.message();
    expect_result(result, original);
}

TEST(PostgresInDoubtTest, GivenTheConnectionCutAfterTheCarefulWaysCommit_ThenOutcomeUnknownAndTheRetryGetsTheOriginal) {
    const std::string schema = unique_schema("doubt_commit");
    auto store = open_store({{"schema", schema}});  // creates the schema
    ASSERT_TRUE(store.ok()) << store.status().message();
    TcpRelay relay(database_port());
    postgres::Session session({through(relay), schema, 0});
    Append append("S", {"0190a2c4-0000-7000-8000-00000000c001"}, 0);
    es_append_result result = abi::make_struct<es_append_result>();
    postgres::PendingAppend member;
    member.request = &append.request();
    member.result = &result;

    relay.cut_at_reply(kCommitReply);
    Status status;
    try {
        postgres::Appender("doubt").run(session.connection(), {&member});
        ADD_FAILURE() << "the appender did not notice that its connection was cut";
    } catch (...) {
        status = postgres::status_from_current_exception("append");
    }
    expect_outcome_unknown(status);
    const Stored original = stored(schema, "S", 1, 1);

    result = abi::make_struct<es_append_result>();
    const Status retry = store.value()->append(append.request(), result);
    ASSERT_TRUE(retry.ok()) << retry.message();
    expect_result(result, original);
}

}  // namespace
}  // namespace eventstore::test
