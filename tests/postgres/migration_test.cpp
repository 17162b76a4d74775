// The postgres backend's migrations against a real database: a fresh schema is migrated and the
// migration recorded; `migrate: check` and `off`; a database newer than the plugin is refused
// with a clear message; servers opening one fresh schema at once apply each migration once; a
// database of before the stream owners (0003) gets each stream's owner from its first event,
// and the lifecycle's columns (0004) at their defaults: every event readable as before.
#include <thread>

#include <gtest/gtest.h>

#include "owner_requests.hpp"
#include "pg_test_support.hpp"

namespace eventstore::test {
namespace {

bool exists(const std::string& relation) {
    return !sql("SELECT to_regclass('" + relation + "') IS NULL")[0][0].as<bool>();
}

bool schema_exists(const std::string& schema) {
    return !sql("SELECT to_regnamespace('" + schema + "') IS NULL")[0][0].as<bool>();
}

TEST(MigrationTest, GivenAFreshSchema_WhenOpenedWithMigrateAuto_ThenEveryMigrationIsAppliedAndRecorded) {
    const std::string schema = unique_schema("fresh");
    auto hooks = std::make_shared<RecordingHooks>();
    auto store = open_store({{"schema", schema}}, hooks);
    ASSERT_TRUE(store.ok()) << store.status().message();
    const pqxx::result versions =
        sql("SELECT version, name FROM " + schema + ".schema_version ORDER BY version");
    ASSERT_EQ(versions.size(), 4u);
    EXPECT_EQ(versions[0][0].as<int>(), 1);
    EXPECT_EQ(versions[0][1].as<std::string>(), "create_event_log");
    EXPECT_EQ(versions[1][0].as<int>(), 2);
    EXPECT_EQ(versions[1][1].as<std::string>(), "append_in_one_statement");
    EXPECT_EQ(versions[2][0].as<int>(), 3);
    EXPECT_EQ(versions[2][1].as<std::string>(), "stream_owners");
    EXPECT_EQ(versions[3][0].as<int>(), 4);
    EXPECT_EQ(versions[3][1].as<std::string>(), "stream_lifecycle");
    for (const char* table : {".events", ".streams", ".head"}) {
        EXPECT_TRUE(exists(schema + table)) << table;
    }
    EXPECT_NE(hooks->logs().find("at version 4 (4 migrations applied now)"), std::string::npos)
        << hooks->logs();

    auto again_hooks = std::make_shared<RecordingHooks>();
    auto again = open_store({{"schema", schema}}, again_hooks);
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(again_hooks->logs().find("applied now"), std::string::npos) << again_hooks->logs();
    EXPECT_EQ(sql("SELECT count(*) FROM " + schema + ".schema_version")[0][0].as<int>(), 4);
}

TEST(MigrationTest, GivenAFreshSchema_WhenOpenedWithMigrateCheck_ThenRefusedNamingWhatIsMissing) {
    const std::string schema = unique_schema("unmigrated");
    auto store = open_store({{"schema", schema}, {"migrate", "check"}});
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), Code::failed_precondition);
    EXPECT_NE(store.status().message().find("schema '" + schema +
                                            "' is at version 0 and needs migrations 1 to 4"),
              std::string::npos)
        << store.status().message();
    EXPECT_FALSE(schema_exists(schema)) << "check must not create anything";
}

TEST(MigrationTest, GivenAMigratedSchema_WhenOpenedWithMigrateCheck_ThenItOpens) {
    const std::string schema = unique_schema("migrated");
    ASSERT_TRUE(open_store({{"schema", schema}}).ok());
    auto store = open_store({{"schema", schema}, {"migrate", "check"}});
    EXPECT_TRUE(store.ok()) << store.status().message();
}

TEST(MigrationTest, GivenMigrateOff_WhenOpened_ThenTheDatabaseIsNotTouched) {
    const std::string schema = unique_schema("untouched");
    auto store = open_store({{"schema", schema}, {"migrate", "off"}});
    EXPECT_TRUE(store.ok()) << store.status().message();
    EXPECT_FALSE(schema_exists(schema));
}

TEST(MigrationTest, GivenADatabaseNewerThanThePlugin_WhenOpened_ThenRefusedWithAClearMessage) {
    const std::string schema = unique_schema("future");
    ASSERT_TRUE(open_store({{"schema", schema}}).ok());
    sql("INSERT INTO " + schema + ".schema_version (version, name) VALUES (5, 'from_the_future')");
    for (const char* mode : {"auto", "check"}) {
        auto store = open_store({{"schema", schema}, {"migrate", mode}});
        ASSERT_FALSE(store.ok()) << mode;
        EXPECT_EQ(store.status().code(), Code::failed_precondition);
        EXPECT_NE(store.status().message().find(
                      "the database schema '" + schema +
                      "' is at version 5, newer than this plugin knows (4); use a newer plugin"),
                  std::string::npos)
            << store.status().message();
    }
}

TEST(MigrationTest, GivenManyServersOpeningOneFreshSchemaAtOnce_ThenEachMigrationIsAppliedOnce) {
    const std::string schema = unique_schema("race");
    constexpr int kOpeners = 6;
    std::vector<Status> outcomes(kOpeners);
    std::vector<std::thread> threads;
    for (int i = 0; i < kOpeners; ++i) {
        threads.emplace_back([&, i] {
            auto store = open_store({{"schema", schema}});
            outcomes[i] = store.ok() ? Status() : store.status();
        });
    }
    for (auto& thread : threads) thread.join();
    for (const Status& outcome : outcomes) EXPECT_TRUE(outcome.ok()) << outcome.message();
    EXPECT_EQ(sql("SELECT count(*) FROM " + schema + ".schema_version")[0][0].as<int>(), 4);
}

TEST(MigrationTest, GivenStreamsOfBeforeStreamOwners_WhenMigrated_ThenEachIsOwnedByTheTenantOfItsFirstEvent) {
    const std::string schema = unique_schema("owners");
    {
        auto store = open_store({{"schema", schema}});
        ASSERT_TRUE(store.ok()) << store.status().message();
        ASSERT_TRUE(append_of_tenants(*store.value(), "Mixed", {"acme", "globex", ""}).ok());
        ASSERT_TRUE(append_of_tenants(*store.value(), "Globex", {"globex"}).ok());
        ASSERT_TRUE(append_of_tenants(*store.value(), "Operator", {""}).ok());
    }
    // The schema as migration 2 left it: streams without owners (nor lifecycle state, 0004).
    sql("ALTER TABLE " + schema + ".streams DROP COLUMN owner, DROP COLUMN truncate_before, " +
        "DROP COLUMN tombstoned, DROP COLUMN max_count, DROP COLUMN max_age_us; DELETE FROM " +
        schema + ".schema_version WHERE version >= 3");
    auto hooks = std::make_shared<RecordingHooks>();
    auto store = open_store({{"schema", schema}}, hooks);
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_NE(hooks->logs().find("at version 4 (2 migrations applied now)"), std::string::npos)
        << hooks->logs();
    const pqxx::result owners =
        sql("SELECT stream_id, owner FROM " + schema + ".streams ORDER BY stream_id");
    ASSERT_EQ(owners.size(), 3u);
    EXPECT_EQ(owners[0][0].as<std::string>() + "/" + owners[0][1].as<std::string>(), "Globex/globex");
    EXPECT_EQ(owners[1][0].as<std::string>() + "/" + owners[1][1].as<std::string>(), "Mixed/acme");
    EXPECT_EQ(owners[2][0].as<std::string>() + "/" + owners[2][1].as<std::string>(), "Operator/");
    EXPECT_TRUE(read_stream_as(*store.value(), "acme", "Mixed").ok());
    EXPECT_EQ(read_stream_as(*store.value(), "globex", "Mixed").code(), Code::not_found);
    EXPECT_EQ(read_stream_as(*store.value(), "acme", "Operator").code(), Code::not_found);
}

}  // namespace
}  // namespace eventstore::test
