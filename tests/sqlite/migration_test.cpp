// The sqlite backend's migrations: a database of schema version 1 (before stream owners) gets each
// stream's owner from its version-1 event, and the plugin then checks owners itself; one of schema
// version 2 (before the stream lifecycle) keeps its streams, versions and owners, and its streams
// can then be deleted and tombstoned.
#include <gtest/gtest.h>

#include "eventstore/abi_struct.hpp"
#include "owner_requests.hpp"
#include "process_support.hpp"
#include "sqlite_test_support.hpp"

namespace eventstore::test {
namespace {

TEST(SqliteMigrationTest, GivenStreamsOfSchemaVersion1_WhenOpened_ThenEachIsOwnedByTheTenantOfItsFirstEvent) {
    TempDir dir;
    const std::filesystem::path database = dir.path() / "events.db";
    {
        auto store = open_store(database);
        ASSERT_TRUE(store.ok()) << store.status().message();
        ASSERT_TRUE(append_of_tenants(*store.value(), "Mixed", {"acme", "globex", ""}).ok());
        ASSERT_TRUE(append_of_tenants(*store.value(), "Operator", {""}).ok());
    }
    // The file as migration 1 left it: streams without owners (nor 0003's lifecycle).
    sql(database,
        "DROP TRIGGER events_keep_the_head; ALTER TABLE streams DROP COLUMN owner; "
        "ALTER TABLE streams DROP COLUMN truncate_before; "
        "ALTER TABLE streams DROP COLUMN tombstoned; DROP TABLE retention; DROP TABLE log_head; "
        "CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events BEGIN "
        "SELECT RAISE(ABORT, 'the events table is append-only (DELETE refused)'); END; "
        "PRAGMA user_version = 1;");
    auto hooks = std::make_shared<KeepingHooks>();
    auto store = open_store(database, {}, hooks);
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_NE(hooks->logs().find("at schema version 3 (2 migrations applied now)"),
              std::string::npos)
        << hooks->logs();
    EXPECT_TRUE(read_stream_as(*store.value(), "acme", "Mixed").ok());
    EXPECT_EQ(read_stream_as(*store.value(), "globex", "Mixed").code(), Code::not_found);
    EXPECT_EQ(read_stream_as(*store.value(), "acme", "Operator").code(), Code::not_found);
    EXPECT_TRUE(read_stream_as(*store.value(), "", "Operator").ok());
    EXPECT_TRUE(append_of_tenants(*store.value(), "Mixed", {"globex"}).ok())
        << "an operator's append (no owner named) is not checked";
}

TEST(SqliteMigrationTest, GivenStreamsOfSchemaVersion2_WhenOpened_ThenTheyKeepVersionsAndOwnersAndCanBeDeleted) {
    TempDir dir;
    const std::filesystem::path database = dir.path() / "events.db";
    {
        auto store = open_store(database);
        ASSERT_TRUE(store.ok()) << store.status().message();
        ASSERT_TRUE(append_of_tenants(*store.value(), "Owned", {"acme", "acme"}).ok());
        ASSERT_TRUE(append_of_tenants(*store.value(), "Other", {""}).ok());
    }
    // The file as migration 2 left it: streams with owners, no lifecycle, DELETE refused.
    sql(database,
        "DROP TRIGGER events_keep_the_head; DROP TABLE retention; DROP TABLE log_head; "
        "CREATE TABLE streams_v2 (stream_id BLOB PRIMARY KEY, current_version INTEGER NOT NULL "
        "CHECK (current_version >= 1), owner BLOB NOT NULL) WITHOUT ROWID; "
        "INSERT INTO streams_v2 SELECT stream_id, current_version, owner FROM streams; "
        "DROP TABLE streams; ALTER TABLE streams_v2 RENAME TO streams; "
        "CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events BEGIN "
        "SELECT RAISE(ABORT, 'the events table is append-only (DELETE refused)'); END; "
        "PRAGMA user_version = 2;");
    auto hooks = std::make_shared<KeepingHooks>();
    auto store = open_store(database, {}, hooks);
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_NE(hooks->logs().find("at schema version 3 (1 migrations applied now)"),
              std::string::npos)
        << hooks->logs();
    EXPECT_EQ(read_stream_as(*store.value(), "globex", "Owned").code(), Code::not_found);
    es_stream_change_request change = abi::make_struct<es_stream_change_request>();
    change.kind = ES_CHANGE_DELETE;
    change.stream_id = abi::bytes("Owned");
    change.expected_kind = ES_EXPECT_EXACT;
    change.expected_version = 2;
    es_stream_state state = abi::make_struct<es_stream_state>();
    ASSERT_TRUE(store.value()->change_stream(change, state).ok());
    EXPECT_EQ(state.truncate_before, 3u);
    EXPECT_EQ(read_stream_as(*store.value(), "acme", "Owned").code(), Code::not_found);
    change.kind = ES_CHANGE_TOMBSTONE;
    change.stream_id = abi::bytes("Other");
    change.expected_version = 1;
    ASSERT_TRUE(store.value()->change_stream(change, state).ok());
    EXPECT_TRUE(state.tombstoned);
    EXPECT_EQ(stored_ids(*store.value()), std::vector<std::string>{});
}

}  // namespace
}  // namespace eventstore::test
