#include "scenarios.hpp"

#include <algorithm>
#include <iostream>

#include "report.hpp"

namespace eventstore::bench {

std::vector<std::string> scenario_names() {
    return {"append-distinct", "append-hot", "append-zipf", "read-stream",     "read-all",
            "catch-up",        "live",       "fan-out",     "idle-subscribers", "rss",
            "growth"};
}

bool is_scenario(const std::string& name) {
    const auto names = scenario_names();
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<Point> run_scenario(const std::string& name, Bench& bench) {
    if (name.rfind("append-", 0) == 0) return run_append(name, bench);
    if (name.rfind("read-", 0) == 0) return run_read(name, bench);
    if (name == "catch-up") return run_catch_up(bench);
    if (name == "live" || name == "fan-out") return run_live(name, bench);
    if (name == "idle-subscribers") return run_idle_subscribers(bench);
    if (name == "growth") return run_growth(bench);
    return run_rss(bench);
}

Point measure_closed_loop(const std::string& scenario, Bench& bench,
                          std::map<std::string, double> parameters, const SlotFactory& slots,
                          const std::function<void(Target&)>& peer_ready) {
    const Options& o = bench.options;
    Point point{scenario, bench.project.server().label(), std::move(parameters)};
    point.protocol = load_name(o);
    if (bench.peer) {
        point.baseline = bench.peer->server().label();
        if (peer_ready) peer_ready(*bench.peer);
    }
    const bool v1_baseline = o.baseline == Baseline::v1;
    if (v1_baseline) point.baseline = protocol_name(Protocol::v1);
    for (uint32_t r = 0; r < o.repeats; ++r) {
        auto project_slots = slots(bench.project, o.protocol);
        point.runs.push_back(run_closed_loop(project_slots, o.warmup_s, o.duration_s,
                                             bench.project.server()));
        if (bench.peer) {
            auto peer_slots = slots(*bench.peer, o.protocol);
            point.baseline_runs.push_back(run_closed_loop(peer_slots, o.warmup_s, o.duration_s,
                                                          bench.peer->server()));
        }
        if (v1_baseline) {
            auto v1_slots = slots(bench.project, Protocol::v1);
            point.baseline_runs.push_back(run_closed_loop(v1_slots, o.warmup_s, o.duration_s,
                                                          bench.project.server()));
        }
    }
    announce(point);
    return point;
}

void announce(const Point& point) { print_table({point}, std::cerr, false); }

}  // namespace eventstore::bench
