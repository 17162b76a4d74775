// pgbench.hpp: the PostgreSQL ceiling for appends: pgbench running the same INSERT the postgres
// backend makes, on the same table shape, in transactions of the same size.
//
// The baseline schema `bench_pgbench` is made from the postgres backend's own migrations
// (plugins/postgres/migrations, the same columns, keys, indexes and trigger), so the row shape
// cannot drift from the backend's. Each pgbench transaction is one INSERT of `rows` rows
// (positions and versions from sequences, a random UUID as event_id, the benchmark's type names
// and payload size). It skips what the backend adds around its INSERT (locking the streams and
// head rows, the expected-version check, the NOTIFY): that is the work the ratio prices.
#ifndef EVENTSTORE_BENCH_PGBENCH_HPP
#define EVENTSTORE_BENCH_PGBENCH_HPP

#include <string>

#include "append_baseline.hpp"
#include "figures.hpp"
#include "process_support.hpp"

namespace eventstore::bench {

class Pgbench final : public AppendBaseline {
public:
    // Makes the schema afresh in the database of `dsn` (psql). Throws std::runtime_error with
    // psql's output when that fails.
    Pgbench(std::string dsn, std::string migrations_dir);

    // `clients` pgbench clients for `duration_s`, each transaction one INSERT of `rows` rows with
    // `payload_bytes` payloads. events = rows x transactions; extra latency_avg_ms is pgbench's average latency.
    std::string name() const override { return "pgbench"; }
    RunFigures run(uint32_t clients, uint32_t rows, uint32_t payload_bytes,
                   double duration_s) override;

private:
    std::string dsn_;
    test::TempDir dir_;
};

}  // namespace eventstore::bench

#endif
