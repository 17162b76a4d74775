// The memory backend's removal bounds (docs/configuration.md, "Stream lifecycle in the memory
// backend"), seen through what a removal frees: the store's byte count, capped by max_bytes.
// Each store holds at most two events; an append that would pass the cap is RESOURCE_EXHAUSTED,
// so an append that then succeeds proves the removed events' bytes were let go.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"
#include "eventstore/loader/plugin.hpp"
#include "eventstore/loader/store.hpp"

namespace {

using namespace std::chrono_literals;
using eventstore::Code;
using eventstore::Status;
namespace abi = eventstore::abi;
namespace loader = eventstore::loader;

// Every event counts its 36-byte id, its 1-byte type and payload, and its 1-byte stream id.
constexpr uint64_t kEventBytes = 36 + 1 + 1 + 1;

class Quiet final : public loader::StoreHooks {
    void log(es_log_level, std::string_view) override {}
    void committed(uint64_t) override {}
};

class MemoryLifecycle : public ::testing::Test {
protected:
    void SetUp() override {
        auto plugin = loader::Plugin::load(MEMORY_PLUGIN_PATH, "test");
        ASSERT_TRUE(plugin.ok()) << plugin.status().message();
        plugin_ = plugin.value();
        loader::OpenOptions options;
        options.options = {{"max_bytes", std::to_string(2 * kEventBytes)}};
        options.options_yaml = "max_bytes: " + std::to_string(2 * kEventBytes);
        auto store = plugin_->open(options, std::make_shared<Quiet>());
        ASSERT_TRUE(store.ok()) << store.status().message();
        store_ = std::move(store.value());
    }

    Status append(const std::string& stream_id, int events) {
        abi::AppendBuilder append;
        append.request().stream_id = append.keep(stream_id);
        for (int i = 0; i < events; ++i) {
            char id[37];
            std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", ++next_id_);
            es_event_data& event = append.add_event();
            event.event_id = append.keep(id);
            event.type_name = append.keep("T");
            event.payload = append.keep("x");
        }
        es_append_result result = abi::make_struct<es_append_result>();
        return store_->append(append.request(), result);
    }

    Status change(const std::string& stream_id, es_stream_change_kind kind, uint64_t max_count = 0,
                  uint64_t max_age_us = 0) {
        es_stream_change_request request = abi::make_struct<es_stream_change_request>();
        request.kind = kind;
        request.stream_id = abi::bytes(stream_id);
        request.max_count = max_count;
        request.max_age_us = max_age_us;
        es_stream_state state{};
        return store_->change_stream(request, state);
    }

    std::shared_ptr<loader::Plugin> plugin_;
    std::unique_ptr<loader::Store> store_;
    int next_id_ = 0;
};

TEST_F(MemoryLifecycle, GivenAFullStore_WhenAStreamIsDeleted_ThenItsBytesAreFreedBeforeTheCallReturns) {
    ASSERT_TRUE(append("a", 2).ok());
    EXPECT_EQ(append("b", 1).code(), Code::resource_exhausted) << "the store is full";
    ASSERT_TRUE(change("a", ES_CHANGE_DELETE).ok());
    EXPECT_TRUE(append("b", 2).ok()) << "the deleted events' bytes count no more";
}

TEST_F(MemoryLifecycle, GivenAFullStore_WhenPartOfAnAppendIsTruncated_ThenTheRemovedEventsBytesAreFreed) {
    ASSERT_TRUE(append("a", 2).ok());
    EXPECT_EQ(append("b", 1).code(), Code::resource_exhausted);
    es_stream_change_request request = abi::make_struct<es_stream_change_request>();
    request.kind = ES_CHANGE_TRUNCATE;
    request.stream_id = abi::bytes("a");
    request.before_version = 2;
    es_stream_state state{};
    ASSERT_TRUE(store_->change_stream(request, state).ok());
    EXPECT_TRUE(append("b", 1).ok()) << "version 1's bytes are freed, version 2 kept";
}

TEST_F(MemoryLifecycle, GivenRetentionByCount_WhenAppendsPassIt_ThenTheOldestEventsBytesAreFreedByThatAppend) {
    ASSERT_TRUE(change("a", ES_CHANGE_SET_RETENTION, 1).ok());
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(append("a", 1).ok()) << "append " << i;
}

TEST_F(MemoryLifecycle, GivenRetentionByAge_WhenNothingTouchesTheStream_ThenTheSweepFreesItsBytesWithinTheInterval) {
    ASSERT_TRUE(change("a", ES_CHANGE_SET_RETENTION, 0, 100000).ok());
    ASSERT_TRUE(append("a", 2).ok());
    EXPECT_EQ(append("b", 1).code(), Code::resource_exhausted);
    // The sweep runs every second; nothing touches stream a meanwhile.
    const auto deadline = std::chrono::steady_clock::now() + 2500ms;
    Status status;
    do {
        std::this_thread::sleep_for(100ms);
        status = append("b", 1);
    } while (!status.ok() && std::chrono::steady_clock::now() < deadline);
    EXPECT_TRUE(status.ok()) << "the expired events' bytes were not freed within 2.5 s: "
                             << status.message();
}

}  // namespace
