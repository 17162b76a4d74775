// pg_test_support.hpp: what the postgres tests share: the database pg_harness.sh started, SQL
// against it, and stores of the postgres plugin opened through the loader (as the server does).
// Every helper needs EVENTSTORE_PG_DSN, which only `pg_harness.sh run` sets.
#ifndef EVENTSTORE_TESTS_POSTGRES_PG_TEST_SUPPORT_HPP
#define EVENTSTORE_TESTS_POSTGRES_PG_TEST_SUPPORT_HPP

#include <barrier>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "eventstore/loader/plugin.hpp"
#include "eventstore/loader/store.hpp"

namespace eventstore::test {

// The harness's DSN; aborts the test program when it is not set.
std::string test_dsn();

// Runs `query` (several statements allowed) on a new connection and returns the last result.
pqxx::result sql(const std::string& query);

// A schema name no other test of this run uses.
std::string unique_schema(const std::string& prefix);

// StoreHooks that remember the highest committed position and every log line.
class RecordingHooks : public loader::StoreHooks {
public:
    void log(es_log_level level, std::string_view message) override;
    void committed(uint64_t position) override;
    // True once a position >= `position` was reported, false at the deadline.
    bool wait_for_commit(uint64_t position, std::chrono::milliseconds timeout);
    std::string logs();

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    uint64_t head_ = 0;
    std::string logs_;
};

// The postgres plugin (POSTGRES_PLUGIN_PATH), loaded once.
std::shared_ptr<loader::Plugin> postgres_plugin();

// Opens a store with the harness's DSN plus `options` (flattened keys, e.g. {"schema", "x"}).
Result<std::unique_ptr<loader::Store>> open_store(
    std::vector<std::pair<std::string, std::string>> options,
    std::shared_ptr<RecordingHooks> hooks = std::make_shared<RecordingHooks>());

// Holds a lock taken with `statement` (e.g. head_lock(schema)) in a transaction of its own
// connection, until released or destroyed.
class LockHolder {
public:
    explicit LockHolder(const std::string& statement);
    void release() { holding_.reset(); }  // rolls back: the lock is gone

private:
    pqxx::connection connection_;
    std::unique_ptr<pqxx::work> holding_;
};
// What blocks every append of a schema's store, and what blocks its reads too.
std::string head_lock(const std::string& schema);
std::string table_lock(const std::string& schema);

// True once exactly `count` connections of stores (application_name "eventstore") wait for a
// lock, false after 10 s.
bool eventually_lock_waiters(int count);

// Appends `count` events of type "Happened" to `stream` with expected version any, within
// `timeout_us` (plugin.h "Deadlines"; 0: no deadline).
Status append_events(loader::Store& store, const std::string& stream, int count,
                     es_append_result& result, uint64_t timeout_us = 0);

// Runs `body(thread, round)` on `threads` threads for `rounds` rounds, the threads starting each
// round together.
template <class Body>
void run_in_rounds(int threads, int rounds, Body body) {
    std::barrier start(threads);
    std::vector<std::thread> running;
    for (int t = 0; t < threads; ++t) {
        running.emplace_back([&, t] {
            for (int round = 0; round < rounds; ++round) {
                start.arrive_and_wait();
                body(t, round);
            }
        });
    }
    for (auto& thread : running) thread.join();
}

// A stream change (plugin.h "Stream lifecycle") of `kind` to `stream` (whose bytes must outlive it),
// every other field zero: expected version any, no owner.
es_stream_change_request stream_change(uint32_t kind, std::string_view stream);

// The versions a forward read of `stream` from its start returns (one page of up to 1000), or
// the read's status.
Result<std::vector<uint64_t>> readable_versions(loader::Store& store, const std::string& stream);

// The positions read_all returns from the log's start (one page of up to 1000), with `prefix`.
Result<std::vector<uint64_t>> readable_positions(loader::Store& store, const std::string& prefix);

}  // namespace eventstore::test

#endif
