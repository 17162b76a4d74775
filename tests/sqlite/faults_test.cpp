// Bad files and faults (issue 16): each is refused at open or on the call with a message that
// names the file and what to do, and nothing already stored is damaged.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "process_support.hpp"
#include "sqlite_test_support.hpp"

namespace eventstore::test {
namespace {

class SqliteFaultTest : public ::testing::Test {
protected:
    std::filesystem::path database() const { return dir_.path() / "events.db"; }

    // A database holding three events of stream S, closed again.
    void store_three_events() {
        auto store = open_store(database());
        ASSERT_TRUE(store.ok()) << store.status().message();
        es_append_result result{};
        ASSERT_TRUE(append_events(*store.value(), "S", 3, result).ok());
        ids_ = stored_ids(*store.value());
        ASSERT_EQ(ids_.size(), 3u);
    }

    // The three events are all there, readable through the plugin.
    void expect_three_events_intact() {
        auto store = open_store(database());
        ASSERT_TRUE(store.ok()) << store.status().message();
        EXPECT_EQ(stored_ids(*store.value()), ids_);
    }

    std::string open_refusal(std::vector<std::pair<std::string, std::string>> options = {}) {
        auto store = open_store(database(), std::move(options));
        EXPECT_FALSE(store.ok());
        return store.ok() ? "" : store.status().message();
    }

    TempDir dir_;
    std::vector<std::string> ids_;
};

TEST_F(SqliteFaultTest, GivenAFileThatIsNotAnSqliteDatabase_WhenOpened_ThenRefusedAndUnchanged) {
    const std::string text(4096, 'n');
    std::ofstream(database()) << text;
    EXPECT_EQ(open_refusal(),
              "backend 'sqlite' failed to open: sqlite: " + database().string() +
                  ": open: file is not a database; the file is not an SQLite database; point "
                  "options.path at an event store database or at a new file");
    EXPECT_TRUE(file_bytes(database()) == text) << "the file changed";
}

TEST_F(SqliteFaultTest, GivenAnotherApplicationsSqliteDatabase_WhenOpened_ThenRefusedAndUnchanged) {
    sql(database(), "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');");
    const std::string before = file_bytes(database());
    EXPECT_EQ(open_refusal(),
              "backend 'sqlite' failed to open: sqlite: " + database().string() +
                  ": the file is an SQLite database, but not an event store's (application_id 0, "
                  "1 schema objects); point options.path at an event store database or at a new "
                  "file");
    EXPECT_TRUE(file_bytes(database()) == before) << "the file changed";
}

TEST_F(SqliteFaultTest, GivenADatabaseOfANewerSchema_WhenOpened_ThenRefusedAndItsEventsKept) {
    store_three_events();
    sql(database(), "PRAGMA user_version = 7");
    EXPECT_EQ(open_refusal(),
              "backend 'sqlite' failed to open: sqlite: " + database().string() +
                  ": the database is at schema version 7, newer than this plugin knows (3); use "
                  "the sqlite plugin of a newer eventstored");
    sql(database(), "PRAGMA user_version = 3");
    expect_three_events_intact();
}

TEST_F(SqliteFaultTest, GivenAFullDisk_WhenAppending_ThenResourceExhaustedAndEarlierEventsKept) {
    // options.max_bytes caps the file as a full disk does: SQLite reports SQLITE_FULL either way.
    store_three_events();
    {
        auto store = open_store(database(), {{"max_bytes", "65536"}});
        ASSERT_TRUE(store.ok()) << store.status().message();
        es_append_result result{};
        const Status full = append_events(*store.value(), "Big", 4, result, 100000);
        EXPECT_EQ(full.code(), Code::resource_exhausted);
        EXPECT_EQ(full.message(),
                  "sqlite: " + database().string() +
                      ": append: database or disk is full; free disk space or raise "
                      "options.max_bytes (nothing of this call was written)");
        EXPECT_EQ(stored_ids(*store.value()), ids_);
        // A small append still fits, after the three.
        ASSERT_TRUE(append_events(*store.value(), "S", 1, result).ok());
        EXPECT_EQ(result.first_global_position, 4u);
        ids_ = stored_ids(*store.value());
    }
    expect_three_events_intact();
}

TEST_F(SqliteFaultTest, GivenALockHeldByAnotherProcess_WhenAppending_ThenUnavailableUntilReleased) {
    store_three_events();
    // A child process (SQLite directly, as a sqlite3 shell would) takes the write lock and holds it
    // until its pipe closes.
    int ready[2];
    int release[2];
    ASSERT_EQ(pipe(ready), 0);
    ASSERT_EQ(pipe(release), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(ready[0]);
        close(release[1]);
        sqlite3* db = nullptr;
        sqlite3_open(database().c_str(), &db);
        const int code = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        const char state = code == SQLITE_OK ? 'y' : 'n';
        (void)!write(ready[1], &state, 1);
        char ignored;
        (void)!read(release[0], &ignored, 1);
        _exit(0);
    }
    close(ready[1]);
    close(release[0]);
    char state = 0;
    ASSERT_EQ(read(ready[0], &state, 1), 1);
    ASSERT_EQ(state, 'y');

    auto store = open_store(database(), {{"busy_timeout_ms", "200"}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    es_append_result result{};
    const Status locked = append_events(*store.value(), "S", 1, result);
    EXPECT_EQ(locked.code(), Code::unavailable);
    EXPECT_EQ(locked.message(),
              "sqlite: " + database().string() +
                  ": append: database is locked; another process holds a lock on the file (a "
                  "sqlite3 shell or a backup in a transaction?); end it, then retry");
    // A deadline shorter than the busy timeout ends the wait first.
    const Status late = append_events(*store.value(), "S", 1, result, 16, 50000);
    EXPECT_EQ(late.code(), Code::deadline_exceeded) << late.message();
    EXPECT_EQ(stored_ids(*store.value()), ids_) << "reads wait for no lock";

    close(release[1]);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(append_events(*store.value(), "S", 1, result).ok());
    EXPECT_EQ(result.first_global_position, 4u);
}

// Read-only cases: root writes whatever the permissions say, so the store is opened by a child
// process that runs as `nobody` when the test runs as root.
class SqliteReadOnlyTest : public SqliteFaultTest {
protected:
    // The message of opening the store in a child process as an unprivileged user.
    std::string open_refusal_unprivileged() {
        int out[2];
        EXPECT_EQ(pipe(out), 0);
        const pid_t child = fork();
        if (child == 0) {
            close(out[0]);
            if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(2);
            auto store = open_store(database());
            const std::string message = store.ok() ? "opened" : store.status().message();
            (void)!write(out[1], message.data(), message.size());
            _exit(0);
        }
        close(out[1]);
        std::string message;
        char buffer[512];
        for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) > 0;) message.append(buffer, n);
        close(out[0]);
        int status = 0;
        waitpid(child, &status, 0);
        return message;
    }
};

TEST_F(SqliteReadOnlyTest, GivenAReadOnlyFile_WhenOpened_ThenRefusedAndUnchanged) {
    store_three_events();
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::all);
    std::filesystem::permissions(database(), std::filesystem::perms::owner_read |
                                                 std::filesystem::perms::group_read |
                                                 std::filesystem::perms::others_read);
    const std::string before = file_bytes(database());
    EXPECT_EQ(open_refusal_unprivileged(),
              "backend 'sqlite' failed to open: sqlite: " + database().string() +
                  ": the file is read-only; the server writes the file and, beside it, its -wal "
                  "and -shm files: give the user it runs as write access to the file and its "
                  "directory");
    EXPECT_TRUE(file_bytes(database()) == before) << "the file changed";
    expect_three_events_intact();
}

TEST_F(SqliteReadOnlyTest, GivenAReadOnlyDirectory_WhenOpened_ThenRefusedAndUnchanged) {
    store_three_events();
    std::filesystem::permissions(database(), std::filesystem::perms::all);
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::owner_read |
                                                  std::filesystem::perms::owner_exec |
                                                  std::filesystem::perms::others_read |
                                                  std::filesystem::perms::others_exec);
    const std::string before = file_bytes(database());
    EXPECT_EQ(open_refusal_unprivileged(),
              "backend 'sqlite' failed to open: sqlite: " + database().string() +
                  ": open: attempt to write a readonly database; the server writes the file and, "
                  "beside it, its -wal and -shm files: give the user it runs as write access to "
                  "the file and its directory");
    EXPECT_TRUE(file_bytes(database()) == before) << "the file changed";
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::all);
    expect_three_events_intact();
}

}  // namespace
}  // namespace eventstore::test
