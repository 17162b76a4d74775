// The idle-subscribers scenario: on a fresh eventstored (started for each run), --subscribers
// subscriptions at the head of the log, held from this one process on gRPC's callback API (no thread each; enough connections for the server's
// per-connection limit), then the server's threads, its RSS growth over the same server before
// them, and the CPU it uses over --idle-window seconds with nothing appended. The targets of
// issue 14 (for 10,000): at most 100 threads, RSS growth at most 256 MiB, at most 2 % of a core.
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "events.hpp"
#include "scenarios.hpp"
#include "subscriptions.hpp"

namespace eventstore::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Issue 14, target 1.
constexpr double kMaxThreads = 100;
constexpr double kMaxIdleCores = 0.02;
constexpr double kMaxRssMibPer10k = 256;
// Time for every subscription to be caught up: a base, and more per subscription.
constexpr std::chrono::seconds kSubscribeBase{30};
constexpr std::chrono::milliseconds kSubscribePerSubscriber{10};

// One run on a fresh eventstored, so that no thread or memory left by earlier scenarios counts.
RunFigures idle_run(const Options& o, uint32_t subscribers) {
    if (!o.target.empty()) {
        throw std::runtime_error("idle-subscribers reads the threads, memory and CPU of a server "
                                 "this tool starts; drop --target");
    }
    const auto server = project_server(o);
    Target project(*server, o.channels);
    RunFigures figures;
    const uint64_t threads_before = server->threads().value_or(0);
    const uint64_t rss_before = server->rss_bytes().value_or(0);
    v1::SubscribeRequest request;
    request.set_after_global_position(
        append_marker(project, run_prefix() + "-idle-marker", o.payload_bytes));
    Target target(*server, subscription_channels(subscribers, o.channels));
    const auto begin = Clock::now();
    Subscriptions subscriptions(target, request, subscribers, {});
    if (!subscriptions.wait_caught_up(begin + kSubscribeBase + kSubscribePerSubscriber * subscribers)) {
        throw std::runtime_error("idle-subscribers: not every subscription caught up: " +
                                 subscriptions.failure());
    }
    figures.extra["subscribe_s"] = std::chrono::duration<double>(Clock::now() - begin).count();
    const double threads = static_cast<double>(server->threads().value_or(0));
    const double rss_growth =
        static_cast<double>(server->rss_bytes().value_or(0)) - static_cast<double>(rss_before);

    CpuMeter cpu(*server);
    std::this_thread::sleep_for(std::chrono::duration<double>(o.idle_window_s));
    cpu.stop();
    figures.seconds = o.idle_window_s;
    cpu.report(figures);
    const std::string failure = subscriptions.failure();
    subscriptions.cancel();
    if (!failure.empty()) throw std::runtime_error("idle-subscribers: " + failure);

    figures.extra["threads_before"] = static_cast<double>(threads_before);
    figures.extra["threads"] = threads;
    figures.extra["rss_before_mib"] = static_cast<double>(rss_before) / kMiB;
    figures.extra["rss_growth_mib"] = rss_growth / kMiB;
    figures.extra["rss_growth_mib_per_10k"] = rss_growth / kMiB * 10000 / subscribers;
    figures.extra["rss_after_idle_mib"] = static_cast<double>(server->rss_bytes().value_or(0)) / kMiB;
    figures.extra["connections"] = subscription_channels(subscribers, o.channels);
    return figures;
}

// The targets of issue 14 for these medians (the RSS one scaled to 10,000 subscribers).
std::string verdict(const Medians& m) {
    std::ostringstream out;
    const auto check = [&](const char* what, const char* key, double limit) {
        const auto it = m.extra.find(key);
        if (it == m.extra.end()) return;
        out << (out.tellp() > 0 ? ", " : "") << what << (it->second <= limit ? " yes" : " NO");
    };
    check("threads<=100", "threads", kMaxThreads);
    check("rss<=256MiB/10k", "rss_growth_mib_per_10k", kMaxRssMibPer10k);
    check("idle<=2%core", "server_cores", kMaxIdleCores);
    return out.str();
}

}  // namespace

std::vector<Point> run_idle_subscribers(Bench& bench) {
    const Options& o = bench.options;
    std::vector<Point> points;
    for (uint32_t subscribers : o.subscribers) {
        Point point{"idle-subscribers", o.backend,
                    {{"subscribers", subscribers}, {"idle_window_s", o.idle_window_s}}};
        for (uint32_t r = 0; r < o.repeats; ++r) point.runs.push_back(idle_run(o, subscribers));
        point.note = verdict(medians(point.runs));
        announce(point);
        points.push_back(std::move(point));
    }
    return points;
}

}  // namespace eventstore::bench
