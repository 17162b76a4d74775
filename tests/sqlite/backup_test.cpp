// Online backup (issue 16): eventstore-sqlite-backup copies the file while eventstored appends to
// it; the copy opens, and holds every event acknowledged before the backup started, with no
// position or stream version skipped.
#include <cstdlib>
#include <set>

#include <gtest/gtest.h>

#include "outage_clients.hpp"
#include "sqlite_server.hpp"
#include "sqlite_test_support.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

TEST(SqliteBackupTest, GivenAServerAppending_WhenBackedUp_ThenTheCopyHoldsEveryEventAcknowledgedBefore) {
    TempDir dir;
    const auto database = dir.path() / "events.db";
    const auto copy = dir.path() / "copy.db";
    SqliteServer server(dir, database);
    ASSERT_TRUE(server.listening()) << server.process().log();
    std::vector<std::unique_ptr<RetryingWriter>> writers;
    for (int w = 0; w < 8; ++w) {
        writers.push_back(std::make_unique<RetryingWriter>(server.stub(), "W-" + std::to_string(w)));
    }
    const auto acknowledged = [&] {
        std::set<std::string> ids;
        for (auto& writer : writers) {
            for (const auto& [id, position] : writer->acknowledged()) ids.insert(id);
        }
        return ids;
    };
    ASSERT_TRUE(eventually([&] { return acknowledged().size() >= 200; }, 20s));
    const std::set<std::string> before = acknowledged();
    const std::string command = std::string(SQLITE_BACKUP_PATH) + " " + database.string() + " " +
                                copy.string() + " > " + (dir.path() / "backup.out").string();
    ASSERT_EQ(std::system(command.c_str()), 0);
    const size_t during = acknowledged().size();
    for (auto& writer : writers) writer->stop();
    EXPECT_GT(acknowledged().size(), before.size()) << "the writers did not go on meanwhile";
    EXPECT_EQ(file_bytes(dir.path() / "backup.out").rfind("backed up " + database.string() +
                                                              " to " + copy.string() +
                                                              ": events up to position ",
                                                          0),
              0u);

    auto store = open_store(copy);
    ASSERT_TRUE(store.ok()) << store.status().message();
    const std::vector<std::string> stored = stored_ids(*store.value());  // checks gaps too
    const std::set<std::string> in_copy(stored.begin(), stored.end());
    EXPECT_EQ(in_copy.size(), stored.size()) << "an event is in the copy twice";
    for (const std::string& id : before) {
        EXPECT_EQ(in_copy.count(id), 1u) << "acknowledged event " << id << " is not in the copy";
    }
    EXPECT_LE(stored.size(), during + 8) << "the copy holds events never acknowledged";
}

TEST(SqliteBackupTest, GivenAnExistingCopy_WhenBackedUp_ThenRefusedAndTheFileKept) {
    TempDir dir;
    const auto copy = dir.write("copy.db", "mine");
    const std::string command = std::string(SQLITE_BACKUP_PATH) + " " +
                                (dir.path() / "events.db").string() + " " + copy.string() +
                                " 2> " + (dir.path() / "backup.err").string();
    EXPECT_NE(std::system(command.c_str()), 0);
    EXPECT_EQ(file_bytes(dir.path() / "backup.err"),
              "eventstore-sqlite-backup: sqlite: " + copy.string() +
                  ": the file exists; name a new file for the copy\n");
    EXPECT_EQ(file_bytes(copy), "mine");
}

}  // namespace
}  // namespace eventstore::test
