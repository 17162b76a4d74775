// sqlite_test_support.hpp: what the sqlite tests share: the sqlite plugin loaded through the
// loader (as the server loads it), stores of it on a database file, and appends and reads of them.
#ifndef EVENTSTORE_TESTS_SQLITE_SQLITE_TEST_SUPPORT_HPP
#define EVENTSTORE_TESTS_SQLITE_SQLITE_TEST_SUPPORT_HPP

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "eventstore/loader/plugin.hpp"
#include "eventstore/loader/store.hpp"

namespace eventstore::test {

// StoreHooks that keep the highest committed position and every log line.
class KeepingHooks : public loader::StoreHooks {
public:
    void log(es_log_level level, std::string_view message) override;
    void committed(uint64_t position) override;
    uint64_t head();
    std::string logs();

private:
    std::mutex mutex_;
    uint64_t head_ = 0;
    std::string logs_;
};

// Opens a store of the sqlite plugin (SQLITE_PLUGIN_PATH, loaded once) on `database`, with
// `options` (flattened keys) besides the path.
Result<std::unique_ptr<loader::Store>> open_store(
    const std::filesystem::path& database,
    std::vector<std::pair<std::string, std::string>> options = {},
    std::shared_ptr<KeepingHooks> hooks = std::make_shared<KeepingHooks>());

// A new event id (UUID text), unique in this run.
std::string new_uuid();

// Appends `count` events of `payload_bytes` bytes each to `stream` (expected version any), with
// `timeout_us` (0: no deadline).
Status append_events(loader::Store& store, const std::string& stream, int count,
                     es_append_result& result, size_t payload_bytes = 16, uint64_t timeout_us = 0);

// The event ids of the whole log, by read_all pages from position 0, in position order; also
// checks that positions run 1, 2, 3... and each stream's versions 1, 2, 3... (ADD_FAILURE
// otherwise).
std::vector<std::string> stored_ids(loader::Store& store);

// The bytes of a file, to show that a refusal did not change it.
std::string file_bytes(const std::filesystem::path& path);

// Runs SQL on the file with SQLite directly (not through the plugin); fails the test on error.
void sql(const std::filesystem::path& database, const std::string& statements);

}  // namespace eventstore::test

#endif
