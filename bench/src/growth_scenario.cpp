// The growth scenario (issue 16, target 6): a fresh eventstored, --growth-events events of
// --payload bytes appended in appends of --events-per-append by --concurrency clients. Timed: the
// appends of the first tenth of the events and those of the last tenth (each a writing of its
// own, started and drained alike), and right after each the reads (--repeats closed-loop runs of
// --duration, the median, --concurrency in flight): ReadAll pages of --page-size through every
// event written so far, and ReadStream pages through a stream written in the first tenth (and at
// the end, also through one written in the last tenth), each with the server's CPU per event read
// and the cores it used. Then, on sqlite, the database file and its WAL against the raw bytes
// (events.hpp, raw_event_bytes).
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "events.hpp"
#include "report.hpp"
#include "scenarios.hpp"

namespace eventstore::bench {
namespace {

// The first and the last of this many equal shares of the appends are timed.
constexpr uint64_t kShares = 10;
// Events one stream holds at most.
constexpr uint64_t kStreamEvents = 10000;

// Where the appends go: `concurrency` streams at a time, each taking `stream_appends` appends:
// append b (from 0) goes to stream (b / (c × s)) × c + b % c. So streams 0..c-1 are written
// wholly within the first tenth of the appends, and the last c streams within the last tenth.
class GrowthLayout {
public:
    GrowthLayout(uint64_t events, uint32_t per_append, uint32_t concurrency)
        : events_(events),
          per_append_(per_append),
          concurrency_(concurrency),
          appends_((events + per_append - 1) / per_append),
          share_(appends_ / kShares),
          stream_appends_(std::max<uint64_t>(
              1, std::min<uint64_t>(kStreamEvents / per_append, share_ / concurrency))) {}

    uint64_t appends() const { return appends_; }
    // Appends in the first and in the last timed share.
    uint64_t share() const { return share_; }

    uint64_t stream_of(uint64_t append) const {
        return append / (concurrency_ * stream_appends_) * concurrency_ + append % concurrency_;
    }
    std::string name(uint64_t stream) const {
        return run_prefix() + "-growth-" + std::to_string(stream);
    }
    uint32_t count(uint64_t append) const {
        return static_cast<uint32_t>(std::min<uint64_t>(per_append_, events_ - append * per_append_));
    }
    // Events in appends [first, last).
    uint64_t events_in(uint64_t first, uint64_t last) const {
        uint64_t events = 0;
        for (uint64_t b = first; b < last; ++b) events += count(b);
        return events;
    }
    // Events `stream` holds once every append is made.
    uint64_t length(uint64_t stream) const {
        const uint64_t group = concurrency_ * stream_appends_;
        const uint64_t first = stream / concurrency_ * group;
        uint64_t events = 0;
        for (uint64_t b = first; b < std::min(first + group, appends_); ++b) {
            if (stream_of(b) == stream) events += count(b);
        }
        return events;
    }
    // Bytes of the events of appends [first, last) as raw_event_bytes counts them.
    uint64_t raw_bytes(uint64_t first, uint64_t last, uint32_t payload_bytes) const {
        uint64_t bytes = 0;
        for (uint64_t b = first; b < last; ++b) {
            bytes += count(b) * raw_event_bytes(name(stream_of(b)), payload_bytes);
        }
        return bytes;
    }
    AppendPlan plan() const {
        return {[this](uint64_t b) { return name(stream_of(b)); },
                [this](uint64_t b) { return count(b); }};
    }

private:
    const uint64_t events_;
    const uint32_t per_append_;
    const uint32_t concurrency_;
    const uint64_t appends_;
    const uint64_t share_;
    const uint64_t stream_appends_;
};

using Clock = std::chrono::steady_clock;

// Appends [first, last) of `layout` with `concurrency` clients: the positions written, and the
// seconds it took in `seconds`.
Seeded timed_appends(const Target& target, const GrowthLayout& layout, uint64_t first,
                     uint64_t last, uint32_t concurrency, uint32_t payload_bytes, double& seconds) {
    const auto begin = Clock::now();
    const Seeded written =
        append_plan(target, layout.plan(), first, last, concurrency, payload_bytes);
    seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    return written;
}

// The medians of --repeats closed-loop runs of the slots `make` returns.
Medians read_rate(const Options& o, const Target& target,
                  const std::function<std::vector<std::unique_ptr<CallSlot>>()>& make) {
    std::vector<RunFigures> runs;
    for (uint32_t r = 0; r < o.repeats; ++r) {
        auto slots = make();
        runs.push_back(run_closed_loop(slots, o.warmup_s, o.duration_s, target.server()));
    }
    return medians(runs);
}

// A read's events/s as `name`_events_per_s, and, when measured, the server's CPU per event as
// `name`_server_cpu_us_per_event (on a shared machine the figure that load moves least) and the
// cores it used as `name`_server_cores (fewer at the same CPU per event: the server waited, for
// the disk or for a core).
void read_figures(const Medians& read, const std::string& name, RunFigures& figures) {
    figures.extra[name + "_events_per_s"] = read.events_per_s;
    for (const char* figure : {"server_cpu_us_per_event", "server_cores"}) {
        const auto found = read.extra.find(figure);
        if (found != read.extra.end()) figures.extra[name + "_" + figure] = found->second;
    }
}

uint64_t size_or_zero(const std::filesystem::path& path) {
    std::error_code error;
    const uintmax_t size = std::filesystem::file_size(path, error);
    return error ? 0 : size;
}

// The sqlite file and its WAL, against `raw` bytes, into `figures` with `suffix`.
void file_figures(const BenchServer& server, double raw, const std::string& suffix,
                  RunFigures& figures) {
    if (!server.data_file()) return;
    const auto db = static_cast<double>(size_or_zero(*server.data_file()));
    const auto wal = static_cast<double>(size_or_zero(server.data_file()->string() + "-wal"));
    figures.extra["db_mib" + suffix] = db / kMiB;
    figures.extra["wal_mib" + suffix] = wal / kMiB;
    figures.extra["raw_mib" + suffix] = raw / kMiB;
    figures.extra["file_over_raw" + suffix] = (db + wal) / raw;
}

// The verdict of issue 16's target 6: every end/start ratio >= 0.7, the file <= 2x the raw bytes.
std::string verdict(const RunFigures& figures) {
    static const char* const kRatios[] = {"append_end_start", "read_all_end_start",
                                          "read_stream_early_end_start", "read_stream_late_end_start"};
    std::string missed;
    const auto miss = [&](const std::string& key) { missed += (missed.empty() ? "" : ", ") + key; };
    for (const char* key : kRatios) {
        if (figures.extra.at(key) < 0.7) miss(key);
    }
    const auto file = figures.extra.find("file_over_raw");
    if (file != figures.extra.end() && file->second > 2) miss("file_over_raw");
    return missed.empty() ? "end/start >= 0.7, file <= 2x raw (where measured)"
                          : "MISSED: " + missed;
}

Point growth_point(const Options& o, uint32_t concurrency, uint32_t per_append) {
    const GrowthLayout layout(o.growth_events, per_append, concurrency);
    if (layout.share() == 0) {
        throw std::runtime_error("growth: --growth-events must hold at least " +
                                 std::to_string(kShares) + " appends of --events-per-append");
    }
    auto server = project_server(o);
    Target target(*server, o.channels);
    const uint64_t share = layout.share(), appends = layout.appends();
    const auto progress = [&](const std::string& what) {
        std::cerr << "growth c=" << concurrency << " e=" << per_append << ": " << what
                  << " (load average " << load_average() << ")\n";
    };

    RunFigures figures;
    double first_s = 0, middle_s = 0, last_s = 0;
    const Seeded start =
        timed_appends(target, layout, 0, share, concurrency, o.payload_bytes, first_s);
    const double first_rate = static_cast<double>(layout.events_in(0, share)) / first_s;
    progress("first tenth appended");
    const auto read_all = [&](Seeded range) {
        return read_rate(o, target, [&] {
            return read_all_slots(target, range, o.page_size, concurrency);
        });
    };
    const auto read_stream = [&](uint64_t stream) {
        return read_rate(o, target, [&] {
            return read_stream_slots(target, layout.name(stream), layout.length(stream),
                                     o.page_size, concurrency);
        });
    };
    const Medians read_all_start = read_all(start);
    const Medians stream_start = read_stream(0);
    file_figures(*server, static_cast<double>(layout.raw_bytes(0, share, o.payload_bytes)),
                 "_start", figures);
    progress("start read");

    timed_appends(target, layout, share, appends - share, concurrency, o.payload_bytes, middle_s);
    progress("middle appended");
    const Seeded end =
        timed_appends(target, layout, appends - share, appends, concurrency, o.payload_bytes, last_s);
    const double last_rate = static_cast<double>(layout.events_in(appends - share, appends)) / last_s;
    progress("last tenth appended");
    const Medians read_all_end = read_all({start.first_position, end.last_position});
    const Medians early_end = read_stream(0);
    const Medians late_end = read_stream(layout.stream_of(appends - 1));
    file_figures(*server, static_cast<double>(layout.raw_bytes(0, appends, o.payload_bytes)), "",
                 figures);

    figures.events = o.growth_events;
    figures.calls = appends;
    figures.seconds = first_s + middle_s + last_s;
    auto& x = figures.extra;
    x["append_start_events_per_s"] = first_rate;
    x["append_end_events_per_s"] = last_rate;
    x["append_end_start"] = last_rate / first_rate;
    read_figures(read_all_start, "read_all_start", figures);
    read_figures(read_all_end, "read_all_end", figures);
    read_figures(stream_start, "read_stream_start", figures);
    read_figures(early_end, "read_stream_early_end", figures);
    read_figures(late_end, "read_stream_late_end", figures);
    x["read_all_end_start"] = read_all_end.events_per_s / read_all_start.events_per_s;
    x["read_stream_early_end_start"] = early_end.events_per_s / stream_start.events_per_s;
    x["read_stream_late_end_start"] = late_end.events_per_s / stream_start.events_per_s;

    Point point{"growth", server->label(),
                {{"events", static_cast<double>(o.growth_events)},
                 {"payload", o.payload_bytes},
                 {"concurrency", concurrency},
                 {"events_per_append", per_append},
                 {"page_size", o.page_size}}};
    point.runs.push_back(figures);
    point.note = verdict(figures);
    announce(point);
    return point;
}

}  // namespace

std::vector<Point> run_growth(Bench& bench) {
    const Options& o = bench.options;
    std::vector<Point> points;
    for (uint32_t concurrency : o.concurrency) {
        for (uint32_t per_append : o.events_per_append) {
            points.push_back(growth_point(o, concurrency, per_append));
        }
    }
    return points;
}

}  // namespace eventstore::bench
