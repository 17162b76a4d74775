#include "pg_test_support.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"

namespace eventstore::test {

std::string test_dsn() {
    const char* dsn = std::getenv("EVENTSTORE_PG_DSN");
    if (dsn == nullptr) {
        std::fprintf(stderr, "EVENTSTORE_PG_DSN is not set: run this under "
                             "tests/postgres/pg_harness.sh run\n");
        std::abort();
    }
    return dsn;
}

pqxx::result sql(const std::string& query) {
    pqxx::connection connection(test_dsn());
    pqxx::nontransaction tx(connection);
    return tx.exec("SET client_min_messages TO warning; " + query);
}

std::string unique_schema(const std::string& prefix) {
    static std::atomic<int> next{0};
    return prefix + "_" + std::to_string(++next);
}

void RecordingHooks::log(es_log_level, std::string_view message) {
    std::lock_guard lock(mutex_);
    logs_.append(message).append("\n");
}

void RecordingHooks::committed(uint64_t position) {
    {
        std::lock_guard lock(mutex_);
        if (position > head_) head_ = position;
    }
    changed_.notify_all();
}

bool RecordingHooks::wait_for_commit(uint64_t position, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return head_ >= position; });
}

std::string RecordingHooks::logs() {
    std::lock_guard lock(mutex_);
    return logs_;
}

std::shared_ptr<loader::Plugin> postgres_plugin() {
    static const std::shared_ptr<loader::Plugin> plugin = [] {
        auto loaded = loader::Plugin::load(POSTGRES_PLUGIN_PATH, "test");
        if (!loaded.ok()) {
            std::fprintf(stderr, "%s\n", loaded.status().message().c_str());
            std::abort();
        }
        return loaded.value();
    }();
    return plugin;
}

Result<std::unique_ptr<loader::Store>> open_store(
    std::vector<std::pair<std::string, std::string>> options,
    std::shared_ptr<RecordingHooks> hooks) {
    loader::OpenOptions open;
    open.options = std::move(options);
    open.options.emplace_back("dsn", test_dsn());
    return postgres_plugin()->open(open, std::move(hooks));
}

LockHolder::LockHolder(const std::string& statement)
    : connection_(test_dsn()), holding_(std::make_unique<pqxx::work>(connection_)) {
    holding_->exec(statement);
}

std::string head_lock(const std::string& schema) {
    return "SELECT * FROM " + schema + ".head FOR UPDATE";
}

std::string table_lock(const std::string& schema) {
    return "LOCK TABLE " + schema + ".events IN ACCESS EXCLUSIVE MODE";
}

bool eventually_lock_waiters(int count) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
        const pqxx::result found =
            sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'eventstore' "
                "AND wait_event_type = 'Lock'");
        if (found[0][0].as<int>() == count) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

Status append_events(loader::Store& store, const std::string& stream, int count,
                     es_append_result& result, uint64_t timeout_us) {
    static std::atomic<uint64_t> next_id{0};
    abi::AppendBuilder append;
    append.request().stream_id = abi::bytes(stream);
    append.request().timeout_us = timeout_us;
    for (int i = 0; i < count; ++i) {
        char id[37];
        std::snprintf(id, sizeof id, "00000000-0000-7000-8000-%012llx",
                      static_cast<unsigned long long>(++next_id));
        es_event_data& event = append.add_event();
        event.event_id = append.keep(id);
        event.type_name = abi::bytes("Happened");
    }
    result = abi::make_struct<es_append_result>();
    return store.append(append.request(), result);
}

es_stream_change_request stream_change(uint32_t kind, std::string_view stream) {
    es_stream_change_request request = abi::make_struct<es_stream_change_request>();
    request.kind = kind;
    request.stream_id = abi::bytes(stream);
    request.expected_kind = ES_EXPECT_ANY;
    return request;
}

namespace {

// Every event an iterator returns: its stream version or global position.
Result<std::vector<uint64_t>> drain(Result<std::unique_ptr<loader::Iterator>> iterator,
                                    bool positions) {
    if (!iterator.ok()) return iterator.status();
    std::vector<uint64_t> found;
    es_recorded_event event = abi::make_struct<es_recorded_event>();
    for (;;) {
        auto more = iterator.value()->next(event);
        if (!more.ok()) return more.status();
        if (!more.value()) return found;
        found.push_back(positions ? event.global_position : event.stream_version);
    }
}

}  // namespace

Result<std::vector<uint64_t>> readable_versions(loader::Store& store, const std::string& stream) {
    es_read_stream_request read = abi::make_struct<es_read_stream_request>();
    read.stream_id = abi::bytes(stream);
    read.forward = true;
    read.max_count = 1000;
    return drain(store.read_stream(read), false);
}

Result<std::vector<uint64_t>> readable_positions(loader::Store& store, const std::string& prefix) {
    es_read_all_request read = abi::make_struct<es_read_all_request>();
    read.max_count = 1000;
    read.stream_prefix = abi::bytes(prefix);
    return drain(store.read_all(read), true);
}

}  // namespace eventstore::test
