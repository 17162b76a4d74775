// The loader's asynchronous append (plugin.h "Asynchronous append", loader/src/pending_appends.hpp):
// plugins that complete from another thread, twice, never, late or with a made-up context, and
// plugins of every older minor, whose blocking append the loader runs on threads of its own.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "eventstore/append_builder.hpp"
#include "eventstore/loader/plugin.hpp"

namespace {

using eventstore::Code;
using eventstore::Status;
using eventstore::abi::AppendBuilder;
using eventstore::loader::AsyncAppend;
using eventstore::loader::Plugin;
using eventstore::loader::Store;
using eventstore::loader::StoreHooks;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class RecordingHooks final : public StoreHooks {
public:
    void log(es_log_level, std::string_view message) override {
        std::lock_guard lock(mutex_);
        lines_ += std::string(message) + "\n";
    }
    void committed(uint64_t) override {}
    std::string lines() {
        std::lock_guard lock(mutex_);
        return lines_;
    }

private:
    std::mutex mutex_;
    std::string lines_;
};

// One append of one event to `stream`, recording what the loader does with it.
class RecordedAppend final : public AsyncAppend {
public:
    RecordedAppend(const std::string& stream, uint32_t expected_kind, uint64_t expected_version,
                   uint64_t timeout_us) {
        es_append_request& request = append_.request();
        request.expected_kind = expected_kind;
        request.expected_version = expected_version;
        request.stream_id = append_.keep(stream);
        request.timeout_us = timeout_us;
        es_event_data& event = append_.add_event();
        event.event_id = append_.keep(next_id());
        event.type_name = append_.keep("Happened");
        event.payload = append_.keep("{}");
    }

    // The loader calls release after complete, from its own thread, once it no longer touches this
    // append: the append must outlive that call, so it waits for it (tests that never see a
    // release close the store first, which releases every pending append).
    ~RecordedAppend() { wait_release(5000ms); }

    const es_append_request& abi_request() const override { return append_.request(); }
    void complete(const Status& status, const es_append_result& result) override {
        std::lock_guard lock(mutex_);
        completions_.push_back(status);
        result_ = result;
        changed_.notify_all();
    }
    void release() override {
        std::lock_guard lock(mutex_);
        ++releases_;
        changed_.notify_all();
    }

    // Waits up to `limit` for a first completion and returns it (UNKNOWN-like INTERNAL if none).
    Status wait_completion(std::chrono::milliseconds limit) {
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, limit, [&] { return !completions_.empty(); })) {
            return Status(Code::cancelled, "no completion within the wait");
        }
        return completions_.front();
    }
    bool wait_release(std::chrono::milliseconds limit) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, limit, [&] { return releases_ > 0; });
    }
    size_t completions() {
        std::lock_guard lock(mutex_);
        return completions_.size();
    }
    int releases() {
        std::lock_guard lock(mutex_);
        return releases_;
    }
    es_append_result result() {
        std::lock_guard lock(mutex_);
        return result_;
    }

private:
    static std::string next_id() {
        static std::atomic<int> counter{0};
        char id[37];
        std::snprintf(id, sizeof id, "00000000-0000-7000-8000-%012d", ++counter);
        return id;
    }

    AppendBuilder append_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Status> completions_;
    es_append_result result_{};
    int releases_ = 0;
};

struct Opened {
    std::shared_ptr<Plugin> plugin;
    std::shared_ptr<RecordingHooks> hooks = std::make_shared<RecordingHooks>();
    std::unique_ptr<Store> store;
};

Opened open(const std::string& path) {
    Opened opened;
    auto plugin = Plugin::load(path, "test");
    EXPECT_TRUE(plugin.ok()) << plugin.status().message();
    opened.plugin = plugin.value();
    auto store = opened.plugin->open({}, opened.hooks);
    EXPECT_TRUE(store.ok()) << store.status().message();
    opened.store = std::move(store.value());
    return opened;
}

std::string fixture(const std::string& name) { return std::string(FIXTURE_DIR) + "/" + name + ".so"; }

TEST(AsyncAppend, GivenAPluginCompletingFromItsOwnThread_WhenAppending_ThenTheResultArrivesOnceAndTheMemoryIsReleased) {
    Opened opened = open(fixture("async-thread"));
    RecordedAppend append("s", ES_EXPECT_ANY, 0, 1'000'000);
    opened.store->append_async(append);
    const Status status = append.wait_completion(5000ms);
    EXPECT_TRUE(status.ok()) << status.message();
    EXPECT_EQ(append.result().current_version, 1u);
    EXPECT_TRUE(append.wait_release(5000ms));
    EXPECT_EQ(append.completions(), 1u);
}

TEST(AsyncAppend, GivenAPluginCompletingTwice_WhenAppending_ThenTheFirstCountsAndTheSecondIsLoggedAndIgnored) {
    Opened opened = open(fixture("async-twice"));
    RecordedAppend append("s", ES_EXPECT_ANY, 0, 1'000'000);
    opened.store->append_async(append);
    EXPECT_TRUE(append.wait_completion(5000ms).ok());
    EXPECT_EQ(append.completions(), 1u);
    EXPECT_EQ(append.releases(), 1);
    EXPECT_THAT(opened.hooks->lines(), HasSubstr("backend 'async-twice' called done for append"));
    EXPECT_THAT(opened.hooks->lines(), HasSubstr("which is not pending"));
}

TEST(AsyncAppend, GivenAPluginCompletingWithAMadeUpContext_WhenAppending_ThenItIsLoggedAndTheRealCompletionCounts) {
    Opened opened = open(fixture("async-unknown"));
    RecordedAppend append("s", ES_EXPECT_ANY, 0, 1'000'000);
    opened.store->append_async(append);
    EXPECT_TRUE(append.wait_completion(5000ms).ok());
    EXPECT_EQ(append.completions(), 1u);
    EXPECT_THAT(opened.hooks->lines(), HasSubstr("which is not pending"));
}

TEST(AsyncAppend, GivenAPluginThatNeverCompletes_WhenTheDeadlinePasses_ThenTheHostAnswersInternalAndKeepsTheMemoryUntilClose) {
    Opened opened = open(fixture("async-never"));
    RecordedAppend append("s", ES_EXPECT_ANY, 0, 100'000);
    const auto started = Clock::now();
    opened.store->append_async(append);
    const Status status = append.wait_completion(5000ms);
    const auto took = Clock::now() - started;
    EXPECT_EQ(status.code(), Code::internal) << status.message();
    EXPECT_THAT(status.message(), HasSubstr("outcome is unknown"));
    EXPECT_GE(took, 1000ms);
    EXPECT_LT(took, 3000ms);
    EXPECT_EQ(append.releases(), 0) << "the plugin may still write the result";
    EXPECT_THAT(opened.hooks->lines(), HasSubstr("did not complete an append within its deadline"));
    auto hooks = opened.hooks;
    opened.store.reset();
    EXPECT_EQ(append.releases(), 1);
    EXPECT_EQ(append.completions(), 1u);
    EXPECT_THAT(hooks->lines(), HasSubstr("closed its store with an append it never completed"));
}

TEST(AsyncAppend, GivenAPluginCompletingAfterTheHostAnswered_WhenItCompletes_ThenTheLateOutcomeIsLoggedAndTheMemoryReleased) {
    Opened opened = open(fixture("async-late"));
    RecordedAppend append("s", ES_EXPECT_ANY, 0, 100'000);
    opened.store->append_async(append);
    EXPECT_EQ(append.wait_completion(5000ms).code(), Code::internal);
    EXPECT_EQ(append.releases(), 0);
    EXPECT_TRUE(append.wait_release(5000ms));
    EXPECT_EQ(append.completions(), 1u);
    EXPECT_THAT(opened.hooks->lines(),
                HasSubstr("completed an append after the server had answered it INTERNAL"));
}

// Minors 1.0 to 1.3 keep their blocking append, which the loader runs on threads of its own; the
// memory plugin of 1.4 and the current one answer through their own append_async.
class AsyncAppendOfMinor : public ::testing::TestWithParam<std::pair<std::string, bool>> {};

TEST_P(AsyncAppendOfMinor, GivenAPluginOfThisMinor_WhenAppendingAsynchronously_ThenVerdictsAreThoseOfTheContract) {
    const auto& [path, native] = GetParam();
    Opened opened = open(path);
    EXPECT_EQ(opened.plugin->api().append_async != nullptr, native);
    RecordedAppend first("orders-1", ES_EXPECT_NO_STREAM, 0, 5'000'000);
    opened.store->append_async(first);
    ASSERT_TRUE(first.wait_completion(5000ms).ok());
    EXPECT_EQ(first.result().current_version, 1u);
    RecordedAppend second("orders-1", ES_EXPECT_EXACT, 1, 5'000'000);
    opened.store->append_async(second);
    ASSERT_TRUE(second.wait_completion(5000ms).ok());
    EXPECT_EQ(second.result().current_version, 2u);
    RecordedAppend stale("orders-1", ES_EXPECT_EXACT, 1, 5'000'000);
    opened.store->append_async(stale);
    const Status refused = stale.wait_completion(5000ms);
    EXPECT_EQ(refused.code(), Code::failed_precondition) << refused.message();
    EXPECT_EQ(stale.result().actual_version, 2u);
    EXPECT_TRUE(stale.wait_release(5000ms));
}

INSTANTIATE_TEST_SUITE_P(
    EveryMinor, AsyncAppendOfMinor,
    ::testing::Values(std::make_pair(fixture("memory-abi-1-0"), false),
                      std::make_pair(fixture("memory-abi-1-1"), false),
                      std::make_pair(fixture("memory-abi-1-2"), false),
                      std::make_pair(fixture("memory-abi-1-3"), false),
                      std::make_pair(fixture("memory-abi-1-4"), true),
                      std::make_pair(std::string(MEMORY_PLUGIN_PATH), true)),
    [](const auto& info) {
        std::string name = std::filesystem::path(info.param.first).stem().string();
        for (char& c : name) c = c == '-' ? '_' : c;
        return name;
    });

}  // namespace
