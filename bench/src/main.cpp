// eventstore-bench: load and latency of an eventstored, against baselines measured in the same
// run. Usage: eventstore-bench --help; results and how to read them: docs/benchmarks.md.
#include <iostream>
#include <stdexcept>

#include "options.hpp"
#include "pgbench.hpp"
#include "report.hpp"
#include "scenarios.hpp"
#include "servers.hpp"
#include "sqlite_loop.hpp"

using namespace eventstore::bench;

namespace {

int run(const Options& options) {
    auto project = project_server(options);
    Target project_target(*project, options.channels);
    std::unique_ptr<BenchServer> peer;
    std::unique_ptr<Target> peer_target;
    std::unique_ptr<AppendBaseline> append_baseline;
    if (options.baseline == Baseline::noop) peer = noop_server(options);
    if (options.baseline == Baseline::memory) peer = memory_server(options);
    if (peer) peer_target = std::make_unique<Target>(*peer, options.channels);
    if (options.baseline == Baseline::pgbench) {
        append_baseline = std::make_unique<Pgbench>(options.dsn, POSTGRES_MIGRATIONS_DIR);
    }
    if (options.baseline == Baseline::sqlite) {
        append_baseline = std::make_unique<SqliteLoop>(SQLITE_MIGRATIONS_DIR, options.backend_options);
    }
    Bench bench{options, project_target, peer_target.get(), append_baseline.get()};

    std::cerr << "eventstore-bench: " << project->label() << " at " << project->address()
              << " through " << protocol_name(options.protocol)
              << (peer ? ", " + peer->label() + " at " + peer->address() : "") << "; load average "
              << load_average() << "\n";
    print_table({}, std::cerr);
    std::vector<Point> points;
    for (const std::string& scenario : options.scenarios) {
        for (Point& point : run_scenario(scenario, bench)) points.push_back(std::move(point));
    }
    std::cout << "\n" << options.command_line << "\nload average at the end: " << load_average()
              << "\n";
    print_table(points, std::cout);
    if (!options.json_path.empty()) write_json(points, options, options.json_path);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int exit_code = 0;
    const auto options = parse_options(argc, argv, exit_code);
    if (!options) return exit_code;
    try {
        return run(*options);
    } catch (const std::exception& e) {
        std::cerr << "eventstore-bench: " << e.what() << "\n";
        return 1;
    }
}
