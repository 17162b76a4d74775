// report.hpp: the results as a readable table, and as JSON for machines (bench/plot.py).
#ifndef EVENTSTORE_BENCH_REPORT_HPP
#define EVENTSTORE_BENCH_REPORT_HPP

#include <ostream>
#include <string>
#include <vector>

#include "figures.hpp"
#include "options.hpp"

namespace eventstore::bench {

// The machine's load average (1, 5 and 15 minutes), as /proc/loadavg says.
std::string load_average();

// One line per point: medians of its runs (the server named "memory/kurrent" when the load spoke
// KurrentDB's protocol), the baseline's median events/s and the ratio project / baseline. `header`: print the column names first.
void print_table(const std::vector<Point>& points, std::ostream& out, bool header = true);

// Writes every point (each run's figures, the medians and the ratio) with the command line, the
// time, and the machine's CPU count and load average. Throws std::runtime_error when the file
// cannot be written.
void write_json(const std::vector<Point>& points, const Options& options, const std::string& path);

}  // namespace eventstore::bench

#endif
