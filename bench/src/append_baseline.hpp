// append_baseline.hpp: a baseline for the append scenarios: the storage engine doing the rows of
// the same appends without the server (--baseline pgbench: pgbench.hpp; --baseline sqlite:
// sqlite_loop.hpp), measured in the same run, so a ratio prices what the server adds.
#ifndef EVENTSTORE_BENCH_APPEND_BASELINE_HPP
#define EVENTSTORE_BENCH_APPEND_BASELINE_HPP

#include <cstdint>
#include <string>

#include "figures.hpp"

namespace eventstore::bench {

class AppendBaseline {
public:
    virtual ~AppendBaseline() = default;
    // The baseline's name in reports ("pgbench", "sqlite").
    virtual std::string name() const = 0;
    // `clients` writers for `duration_s`, each transaction `rows` rows with `payload_bytes`
    // payloads. events = rows x transactions.
    virtual RunFigures run(uint32_t clients, uint32_t rows, uint32_t payload_bytes,
                           double duration_s) = 0;
};

}  // namespace eventstore::bench

#endif
