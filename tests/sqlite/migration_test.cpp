// The sqlite backend's migrations: a database of schema version 1 (before stream owners) gets each
// stream's owner from its version-1 event, and the plugin then checks owners itself.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace eventstore::test
