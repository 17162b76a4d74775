// sqlite_loop.hpp: the SQLite ceiling for appends (--baseline sqlite), as pgbench is PostgreSQL's:
// a plain loop of transactions, each one INSERT per row into the sqlite backend's events table,
// on a file of the same settings (WAL, the backend's `synchronous`, default FULL), by one
// connection, since SQLite has one writer at a time.
//
// The file's schema is made from the sqlite backend's own migrations (plugins/sqlite/migrations),
// so the row shape, keys and triggers cannot drift from the backend's. Each transaction is
// BEGIN, `rows` INSERTs of a new stream's versions 1..rows (a fresh event id each, the
// benchmark's type name and payload size), COMMIT. It skips what the backend adds around its
// INSERTs (the event-id lookups, the stream row, the expected-version check, the server): that
// is the work the ratio prices.
#ifndef EVENTSTORE_BENCH_SQLITE_LOOP_HPP
#define EVENTSTORE_BENCH_SQLITE_LOOP_HPP

#include <string>
#include <utility>
#include <vector>

#include "append_baseline.hpp"
#include "process_support.hpp"

struct sqlite3;

namespace eventstore::bench {

class SqliteLoop final : public AppendBaseline {
public:
    // Makes the file afresh in a temporary folder. `backend_options` are the sqlite backend's
    // (--backend-option): its `synchronous` is used too. Throws std::runtime_error on failure.
    SqliteLoop(const std::string& migrations_dir,
               const std::vector<std::pair<std::string, std::string>>& backend_options);
    ~SqliteLoop() override;

    std::string name() const override { return "sqlite"; }
    // `clients` is ignored: one connection writes, as SQLite allows one writer at a time.
    RunFigures run(uint32_t clients, uint32_t rows, uint32_t payload_bytes,
                   double duration_s) override;

private:
    test::TempDir dir_;
    sqlite3* db_ = nullptr;
    uint64_t transactions_ = 0;  // so far, across runs: names the streams
};

}  // namespace eventstore::bench

#endif
