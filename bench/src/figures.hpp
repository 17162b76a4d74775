// figures.hpp: what one measured run yields, and a point of the report (one scenario with one
// set of parameters, measured `repeats` times against the project's server and its baseline).
#ifndef EVENTSTORE_BENCH_FIGURES_HPP
#define EVENTSTORE_BENCH_FIGURES_HPP

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace eventstore::bench {

inline constexpr double kMiB = 1024.0 * 1024.0;

// Latencies in microseconds; summarised into percentiles.
using Latencies = std::vector<uint32_t>;

// The p-th percentile (0 < p <= 100, nearest rank) in milliseconds; nothing when empty.
// Reorders `latencies`.
std::optional<double> percentile_ms(Latencies& latencies, double p);

// The median of `values` (the mean of the middle two for an even count); 0 when empty.
double median(std::vector<double> values);

struct RunFigures {
    double seconds = 0;
    uint64_t calls = 0;
    uint64_t events = 0;
    std::optional<double> p50_ms, p99_ms, p999_ms;
    std::map<std::string, double> extra;  // scenario-specific figures, e.g. rss_mib

    double calls_per_s() const { return seconds > 0 ? calls / seconds : 0; }
    double events_per_s() const { return seconds > 0 ? events / seconds : 0; }
    // Fills the percentiles from `latencies`.
    void summarise(Latencies& latencies);
};

struct Point {
    Point(std::string scenario_name, std::string server_label,
          std::map<std::string, double> parameter_values)
        : scenario(std::move(scenario_name)),
          server(std::move(server_label)),
          parameters(std::move(parameter_values)) {}

    std::string scenario;
    std::string server;  // memory, postgres, target
    std::string protocol = "v1";  // the load's client protocol: v1, kurrent (protocol_name)
    std::map<std::string, double> parameters;  // concurrency, events_per_append, payload, ...
    std::vector<RunFigures> runs;
    std::string baseline;  // empty: none
    std::vector<RunFigures> baseline_runs;
    std::string note;      // a target's verdict or a remark for the table
};

// Medians of a point's runs, figure by figure.
struct Medians {
    double calls_per_s = 0, events_per_s = 0;
    std::optional<double> p50_ms, p99_ms, p999_ms;
    std::map<std::string, double> extra;
};
Medians medians(const std::vector<RunFigures>& runs);

}  // namespace eventstore::bench

#endif
