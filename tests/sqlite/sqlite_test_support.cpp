#include "sqlite_test_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"

namespace eventstore::test {

namespace {

std::shared_ptr<loader::Plugin> sqlite_plugin() {
    static const std::shared_ptr<loader::Plugin> plugin = [] {
        auto loaded = loader::Plugin::load(SQLITE_PLUGIN_PATH, "test");
        if (!loaded.ok()) {
            std::fprintf(stderr, "%s\n", loaded.status().message().c_str());
            std::abort();
        }
        return loaded.value();
    }();
    return plugin;
}

}  // namespace

std::string new_uuid() {
    static std::mutex mutex;
    static uint64_t counter = 0;
    static const uint64_t run = static_cast<uint64_t>(std::random_device()()) << 16;
    std::lock_guard lock(mutex);
    char text[37];
    ++counter;
    std::snprintf(text, sizeof text, "%08x-%04x-4%03x-8%03x-%012llx",
                  static_cast<unsigned>(run >> 16), static_cast<unsigned>(run & 0xffff), 0u, 0u,
                  static_cast<unsigned long long>(counter));
    return text;
}

void KeepingHooks::log(es_log_level, std::string_view message) {
    std::lock_guard lock(mutex_);
    logs_.append(message).append("\n");
}

void KeepingHooks::committed(uint64_t position) {
    std::lock_guard lock(mutex_);
    if (position > head_) head_ = position;
}

uint64_t KeepingHooks::head() {
    std::lock_guard lock(mutex_);
    return head_;
}

std::string KeepingHooks::logs() {
    std::lock_guard lock(mutex_);
    return logs_;
}

Result<std::unique_ptr<loader::Store>> open_store(
    const std::filesystem::path& database,
    std::vector<std::pair<std::string, std::string>> options,
    std::shared_ptr<KeepingHooks> hooks) {
    loader::OpenOptions open;
    open.options = std::move(options);
    open.options.emplace_back("path", database.string());
    return sqlite_plugin()->open(open, std::move(hooks));
}

Status append_events(loader::Store& store, const std::string& stream, int count,
                     es_append_result& result, size_t payload_bytes, uint64_t timeout_us) {
    abi::AppendBuilder builder;
    const std::string payload(payload_bytes, 'x');
    for (int i = 0; i < count; ++i) {
        es_event_data& event = builder.add_event();
        event.event_id = builder.keep(new_uuid());
        event.type_name = abi::bytes("Happened");
        event.content_type = abi::bytes("application/octet-stream");
        event.payload = builder.keep(payload);
    }
    builder.request().stream_id = abi::bytes(stream);
    builder.request().expected_kind = ES_EXPECT_ANY;
    builder.request().timeout_us = timeout_us;
    result = abi::make_struct<es_append_result>();
    return store.append(builder.request(), result);
}

std::vector<std::string> stored_ids(loader::Store& store) {
    std::vector<std::string> ids;
    std::map<std::string, uint64_t> versions;
    uint64_t after = 0;
    for (;;) {
        es_read_all_request request = abi::make_struct<es_read_all_request>();
        request.after_position = after;
        request.max_count = 1000;
        auto iterator = store.read_all(request);
        if (!iterator.ok()) {
            ADD_FAILURE() << iterator.status().message();
            return ids;
        }
        es_recorded_event event = abi::make_struct<es_recorded_event>();
        for (;;) {
            auto has = iterator.value()->next(event);
            if (!has.ok()) {
                ADD_FAILURE() << has.status().message();
                return ids;
            }
            if (!has.value()) break;
            EXPECT_EQ(event.global_position, ids.size() + 1) << "a position was skipped";
            uint64_t& version = versions[std::string(abi::view(event.stream_id))];
            EXPECT_EQ(event.stream_version, ++version) << "a stream version was skipped";
            ids.emplace_back(abi::view(event.event_id));
        }
        auto page = iterator.value()->page();
        if (!page.ok()) {
            ADD_FAILURE() << page.status().message();
            return ids;
        }
        after = page.value().last_scanned_position;
        if (page.value().reached_head) return ids;
    }
}

std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

void sql(const std::filesystem::path& database, const std::string& statements) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(database.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int code = sqlite3_exec(db, statements.c_str(), nullptr, nullptr, &error);
    const std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(code, SQLITE_OK) << message;
}

}  // namespace eventstore::test
