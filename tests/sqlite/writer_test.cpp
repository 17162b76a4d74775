// The group writer's threads (plugins/sqlite/group_writer.hpp): appends are completed on a thread
// of their own, so a slow completion (the server answering its client) never holds up the next
// group's commit.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"
#include "process_support.hpp"
#include "sqlite_test_support.hpp"

namespace eventstore::test {
namespace {

// An async append whose complete() waits (up to kPatience) until the store has announced the
// commit of `position`, and records whether it saw it.
class WaitingAppend : public loader::AsyncAppend {
public:
    static constexpr std::chrono::seconds kPatience{5};

    WaitingAppend(KeepingHooks& hooks, uint64_t position) : hooks_(hooks), position_(position) {
        es_event_data& event = builder_.add_event();
        event.event_id = builder_.keep(new_uuid());
        event.type_name = abi::bytes("Happened");
        event.content_type = abi::bytes("application/octet-stream");
        builder_.request().stream_id = abi::bytes("waiting");
        builder_.request().expected_kind = ES_EXPECT_ANY;
    }
    const es_append_request& abi_request() const override { return builder_.request(); }
    void complete(const Status& status, const es_append_result&) override {
        status_ = status;
        const auto until = std::chrono::steady_clock::now() + kPatience;
        while (hooks_.head() < position_ && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        saw_position_ = hooks_.head() >= position_;
    }
    void release() override { released_ = true; }

    Status status_;
    bool saw_position_ = false;
    bool released_ = false;

private:
    KeepingHooks& hooks_;
    const uint64_t position_;
    abi::AppendBuilder builder_;
};

TEST(SqliteWriterTest, GivenACompletionThatWaits_WhenAnotherAppendIsQueued_ThenItIsCommittedMeanwhile) {
    TempDir dir;
    auto hooks = std::make_shared<KeepingHooks>();
    auto store = open_store(dir.path() / "events.db", {}, hooks);
    ASSERT_TRUE(store.ok()) << store.status().message();
    // Position 1 completes only once position 2 is committed: the writer must commit the next
    // group while the first append's completion is still running.
    WaitingAppend first(*hooks, 2);
    store.value()->append_async(first);
    // The second append is queued once the first is committed: it makes a group of its own.
    while (hooks->head() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    es_append_result result{};
    const Status second = append_events(*store.value(), "other", 1, result);
    ASSERT_TRUE(second.ok()) << second.message();
    EXPECT_EQ(result.first_global_position, 2u);
    store.value().reset();
    EXPECT_TRUE(first.status_.ok()) << first.status_.message();
    EXPECT_TRUE(first.saw_position_);
}

}  // namespace
}  // namespace eventstore::test
