// The rss scenario: a fresh eventstored (started for this scenario alone), --rss-events events of
// --payload bytes appended, then its VmRSS compared with the budget of the memory target:
// 2 x the raw event bytes + 64 MiB.
#include <stdexcept>

#include "events.hpp"
#include "scenarios.hpp"

namespace eventstore::bench {
namespace {

constexpr uint32_t kRssStreams = 1000;
constexpr uint32_t kRssBatch = 100;

}  // namespace

std::vector<Point> run_rss(Bench& bench) {
    const Options& o = bench.options;
    if (!o.target.empty()) {
        throw std::runtime_error("rss reads the memory of a server this tool starts; drop --target");
    }
    auto server = project_server(o);
    Target target(*server, o.channels);
    RunFigures figures;
    figures.extra["rss_start_mib"] = static_cast<double>(server->rss_bytes().value_or(0)) / kMiB;
    std::vector<std::string> streams;
    for (uint32_t k = 0; k < kRssStreams; ++k) {
        streams.push_back(run_prefix() + "-rss-" + std::to_string(k));
    }
    const auto begin = std::chrono::steady_clock::now();
    seed(target, streams, o.rss_events, o.payload_bytes, kRssBatch);
    figures.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    figures.events = o.rss_events;
    figures.calls = (o.rss_events + kRssBatch - 1) / kRssBatch;

    const double raw = static_cast<double>(o.rss_events) *
                       static_cast<double>(raw_event_bytes(streams.back(), o.payload_bytes)) / kMiB;
    const double rss = static_cast<double>(server->rss_bytes().value_or(0)) / kMiB;
    const double budget = 2 * raw + 64;
    figures.extra["raw_mib"] = raw;
    figures.extra["rss_mib"] = rss;
    figures.extra["budget_mib"] = budget;
    figures.extra["rss_over_budget"] = rss / budget;

    Point point{"rss", server->label(),
                {{"events", static_cast<double>(o.rss_events)}, {"payload", o.payload_bytes}}};
    point.runs.push_back(figures);
    point.note = rss <= budget ? "within 2x raw + 64 MiB" : "OVER 2x raw + 64 MiB";
    announce(point);
    return {point};
}

}  // namespace eventstore::bench
