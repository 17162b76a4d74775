#include "report.hpp"

#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

namespace eventstore::bench {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

std::optional<double> ratio(const Point& point) {
    if (point.baseline_runs.empty()) return std::nullopt;
    const double baseline = medians(point.baseline_runs).events_per_s;
    if (baseline <= 0) return std::nullopt;
    return medians(point.runs).events_per_s / baseline;
}

std::string fixed(std::optional<double> value, int decimals) {
    if (!value) return "-";
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << *value;
    return out.str();
}

std::string parameters_text(const std::map<std::string, double>& parameters) {
    static const std::map<std::string, std::string> kShort{
        {"concurrency", "c"},  {"events_per_append", "e"}, {"payload", "p"},
        {"page_size", "page"}, {"seed_events", "n"},       {"subscribers", "subs"},
        {"rate", "rate"},      {"events", "n"},            {"max_batch_events", "batch"},
        {"idle_window_s", "idle_s"}};
    std::ostringstream out;
    for (const auto& [key, value] : parameters) {
        const auto name = kShort.find(key);
        out << (out.tellp() > 0 ? " " : "") << (name == kShort.end() ? key : name->second) << '='
            << value;
    }
    return out.str();
}

std::string extras_text(const std::map<std::string, double>& extra) {
    std::ostringstream out;
    for (const auto& [key, value] : extra) {
        out << (out.tellp() > 0 ? " " : "") << key << '=' << fixed(value, 3);
    }
    return out.str();
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return text;
}

Value number(double value) {
    Value v;
    v.set_number_value(value);
    return v;
}

Value text(const std::string& value) {
    Value v;
    v.set_string_value(value);
    return v;
}

Value figures_json(const std::map<std::string, double>& numbers) {
    Value v;
    for (const auto& [key, value] : numbers) (*v.mutable_struct_value()->mutable_fields())[key] = number(value);
    return v;
}

std::map<std::string, double> run_numbers(const RunFigures& run) {
    std::map<std::string, double> numbers = run.extra;
    numbers["seconds"] = run.seconds;
    numbers["calls"] = static_cast<double>(run.calls);
    numbers["events"] = static_cast<double>(run.events);
    numbers["calls_per_s"] = run.calls_per_s();
    numbers["events_per_s"] = run.events_per_s();
    if (run.p50_ms) numbers["p50_ms"] = *run.p50_ms;
    if (run.p99_ms) numbers["p99_ms"] = *run.p99_ms;
    if (run.p999_ms) numbers["p999_ms"] = *run.p999_ms;
    return numbers;
}

std::map<std::string, double> median_numbers(const std::vector<RunFigures>& runs) {
    const Medians m = medians(runs);
    std::map<std::string, double> numbers = m.extra;
    numbers["calls_per_s"] = m.calls_per_s;
    numbers["events_per_s"] = m.events_per_s;
    if (m.p50_ms) numbers["p50_ms"] = *m.p50_ms;
    if (m.p99_ms) numbers["p99_ms"] = *m.p99_ms;
    if (m.p999_ms) numbers["p999_ms"] = *m.p999_ms;
    return numbers;
}

Value runs_json(const std::vector<RunFigures>& runs) {
    Value list;
    for (const RunFigures& run : runs) {
        *list.mutable_list_value()->add_values() = figures_json(run_numbers(run));
    }
    return list;
}

}  // namespace

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

void print_table(const std::vector<Point>& points, std::ostream& out, bool header) {
    const auto row = [&](const std::vector<std::string>& cells) {
        static const int kWidths[] = {16, 9, 34, 10, 11, 8, 8, 8, 9, 11, 6};
        for (size_t i = 0; i < cells.size(); ++i) {
            out << std::left << std::setw(i < std::size(kWidths) ? kWidths[i] : 0) << cells[i]
                << (i + 1 < cells.size() ? " " : "");
        }
        out << '\n';
    };
    if (header) {
        row({"scenario", "server", "parameters", "calls/s", "events/s", "p50 ms", "p99 ms",
             "p99.9 ms", "baseline", "base ev/s", "ratio", "more (medians)"});
    }
    for (const Point& point : points) {
        const Medians m = medians(point.runs);
        const std::optional<double> base =
            point.baseline_runs.empty() ? std::nullopt
                                        : std::optional(medians(point.baseline_runs).events_per_s);
        std::string more = extras_text(m.extra);
        if (!point.note.empty()) more += (more.empty() ? "" : " ") + point.note;
        const std::string server =
            point.protocol == protocol_name(Protocol::v1) ? point.server
                                                          : point.server + "/" + point.protocol;
        row({point.scenario, server, parameters_text(point.parameters),
             fixed(m.calls_per_s, 0), fixed(m.events_per_s, 0), fixed(m.p50_ms, 2),
             fixed(m.p99_ms, 2), fixed(m.p999_ms, 2),
             point.baseline.empty() ? "-" : point.baseline, fixed(base, 0), fixed(ratio(point), 2),
             more + " (" + std::to_string(point.runs.size()) + " runs)"});
    }
}

void write_json(const std::vector<Point>& points, const Options& options, const std::string& path) {
    Struct root;
    auto& fields = *root.mutable_fields();
    fields["command"] = text(options.command_line);
    fields["time_utc"] = text(utc_now());
    fields["cpus"] = number(std::thread::hardware_concurrency());
    fields["load_average"] = text(load_average());
    Value& list = fields["points"];
    list.mutable_list_value();
    for (const Point& point : points) {
        Value v;
        auto& p = *v.mutable_struct_value()->mutable_fields();
        p["scenario"] = text(point.scenario);
        p["server"] = text(point.server);
        p["protocol"] = text(point.protocol);
        p["parameters"] = figures_json(point.parameters);
        p["runs"] = runs_json(point.runs);
        p["median"] = figures_json(median_numbers(point.runs));
        if (!point.baseline.empty()) {
            p["baseline"] = text(point.baseline);
            p["baseline_runs"] = runs_json(point.baseline_runs);
            p["baseline_median"] = figures_json(median_numbers(point.baseline_runs));
        }
        if (auto r = ratio(point)) p["ratio"] = number(*r);
        if (!point.note.empty()) p["note"] = text(point.note);
        *list.mutable_list_value()->add_values() = v;
    }
    std::string json;
    google::protobuf::util::JsonPrintOptions print;
    print.add_whitespace = true;
    if (!google::protobuf::util::MessageToJsonString(root, &json, print).ok()) {
        throw std::runtime_error("cannot encode the results as JSON");
    }
    std::ofstream file(path);
    file << json;
    if (!file) throw std::runtime_error("cannot write " + path);
}

}  // namespace eventstore::bench
