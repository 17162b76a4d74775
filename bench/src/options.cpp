#include "options.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include <boost/algorithm/string.hpp>
#include <boost/program_options.hpp>

#include "scenarios.hpp"

namespace po = boost::program_options;

namespace eventstore::bench {
namespace {

constexpr int kExitUsage = 2;

// Positive integers separated by commas (`zero`: 0 allowed too).
std::vector<uint32_t> parse_list(const std::string& flag, const std::string& text,
                                 bool zero = false) {
    std::vector<std::string> parts;
    boost::split(parts, text, boost::is_any_of(","));
    std::vector<uint32_t> values;
    for (const std::string& part : parts) {
        size_t used = 0;
        unsigned long value = 0;
        try {
            value = std::stoul(part, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != part.size() || part.empty() || (value == 0 && !zero) || value > UINT32_MAX) {
            throw po::error("--" + flag + " takes " + (zero ? "whole numbers" : "positive integers") +
                            " separated by commas, got '" + text + "'");
        }
        values.push_back(static_cast<uint32_t>(value));
    }
    return values;
}

std::vector<std::string> parse_scenarios(const std::string& text) {
    std::vector<std::string> names;
    boost::split(names, text, boost::is_any_of(","));
    if (names == std::vector<std::string>{"all"}) return scenario_names();
    for (const std::string& name : names) {
        if (!is_scenario(name)) {
            throw po::error("unknown scenario '" + name + "' (known: all, " +
                            boost::join(scenario_names(), ", ") + ")");
        }
    }
    return names;
}

Baseline parse_baseline(const std::string& text) {
    if (text == "none") return Baseline::none;
    if (text == "noop") return Baseline::noop;
    if (text == "memory") return Baseline::memory;
    if (text == "pgbench") return Baseline::pgbench;
    if (text == "sqlite") return Baseline::sqlite;
    if (text == "read-all") return Baseline::read_all;
    if (text == "v1") return Baseline::v1;
    throw po::error("--baseline is none, noop, memory, pgbench, sqlite, read-all or v1, got '" +
                    text + "'");
}

Protocol parse_protocol(const std::string& text) {
    if (text == protocol_name(Protocol::v1)) return Protocol::v1;
    if (text == protocol_name(Protocol::kurrent)) return Protocol::kurrent;
    throw po::error("--protocol is v1 or kurrent, got '" + text + "'");
}

// What --protocol kurrent measures: the appends and catch-up, which eventstore.v1 has too.
void check_kurrent(const Options& o) {
    static const std::vector<std::string> kKurrentScenarios{"append-distinct", "append-hot",
                                                            "append-zipf", "catch-up"};
    for (const std::string& name : o.scenarios) {
        if (std::find(kKurrentScenarios.begin(), kKurrentScenarios.end(), name) ==
            kKurrentScenarios.end()) {
            throw po::error("--protocol kurrent runs " + boost::join(kKurrentScenarios, ", ") +
                            ", not '" + name + "'");
        }
    }
    if (o.max_batch_events != std::vector<uint32_t>{0}) {
        throw po::error("--protocol kurrent: the protocol sends one event a message "
                        "(--max-batch-events 0)");
    }
}

std::string joined_command_line(int argc, char** argv) {
    std::ostringstream out;
    out << "eventstore-bench";
    for (int i = 1; i < argc; ++i) out << ' ' << argv[i];
    return out.str();
}

}  // namespace

const char* protocol_name(Protocol protocol) {
    return protocol == Protocol::kurrent ? "kurrent" : "v1";
}

const char* load_name(const Options& o) {
    return o.kurrent_batch_append ? "kurrent-batch" : protocol_name(o.protocol);
}

std::optional<Options> parse_options(int argc, char** argv, int& exit_code) {
    Options o;
    std::string scenarios = "append-distinct", baseline = "none", protocol = "v1",
                kurrent_append = "append", concurrency = "16", events_per_append = "1", subscribers = "10", stalled = "0",
                max_batch_events = "0";
    std::vector<std::string> backend_options;
    po::options_description flags("eventstore-bench options");
    flags.add_options()
        ("scenario,s", po::value(&scenarios)->default_value(scenarios),
         "comma-separated: append-distinct, append-hot, append-zipf, read-stream, read-all, "
         "catch-up, live, fan-out, idle-subscribers, rss, growth, or all")
        ("target", po::value(&o.target), "HOST:PORT of a running server (default: start "
         "eventstored from the build tree)")
        ("backend", po::value(&o.backend)->default_value(o.backend),
         "memory, postgres or sqlite: the backend of the eventstored this tool starts (sqlite: "
         "on a file in its temporary folder unless --backend-option path=FILE)")
        ("backend-option", po::value(&backend_options)->composing(),
         "KEY=VALUE handed to the started server's plugin (repeatable), e.g. pool_size=16")
        ("dsn", po::value(&o.dsn), "postgres: libpq DSN (default: $EVENTSTORE_PG_DSN)")
        ("baseline", po::value(&baseline)->default_value(baseline),
         "none; noop (a no-op server of the same gRPC service, same load); memory (the same "
         "load against a second eventstored on the memory backend: appends, reads, catch-up); "
         "pgbench (the same INSERTs through pgbench, append scenarios on postgres); sqlite (the "
         "same INSERTs in a "
         "plain loop of transactions on a file of the same settings, append scenarios on "
         "sqlite); read-all (ReadAll pages of "
         "1,000 over the same events on the same server, catch-up); v1 (the same load through "
         "eventstore.v1 on the same server, with --protocol kurrent)")
        ("protocol", po::value(&protocol)->default_value(protocol),
         "v1 or kurrent: the client protocol of the load (kurrent: KurrentDB's Streams.Append "
         "and Streams.Read, for append-distinct, append-hot, append-zipf and catch-up)")
        ("kurrent-append", po::value(&kurrent_append)->default_value(kurrent_append),
         "append or batch: the RPC of --protocol kurrent's appends, Streams.Append (a client "
         "stream per append) or Streams.BatchAppend (a long-lived stream per call in flight, "
         "one append a message, as the Node client appends)")
        ("concurrency,c", po::value(&concurrency)->default_value(concurrency),
         "calls in flight (or catch-up subscribers), comma-separated for several points")
        ("events-per-append,e", po::value(&events_per_append)->default_value(events_per_append),
         "events in each Append, comma-separated for several points")
        ("payload", po::value(&o.payload_bytes)->default_value(o.payload_bytes), "payload bytes")
        ("duration,d", po::value(&o.duration_s)->default_value(o.duration_s),
         "seconds of each measured run")
        ("warmup", po::value(&o.warmup_s)->default_value(o.warmup_s),
         "seconds of load before each measured run")
        ("repeats,r", po::value(&o.repeats)->default_value(o.repeats),
         "runs per point; figures are medians")
        ("channels", po::value(&o.channels)->default_value(o.channels),
         "gRPC channels (connections) the load spreads over")
        ("zipf-streams", po::value(&o.zipf_streams)->default_value(o.zipf_streams),
         "append-zipf: number of streams")
        ("zipf-exponent", po::value(&o.zipf_exponent)->default_value(o.zipf_exponent, "0.99"),
         "append-zipf: skew")
        ("seed-events", po::value(&o.seed_events)->default_value(o.seed_events),
         "read-stream, read-all, catch-up: events written before measuring")
        ("page-size", po::value(&o.page_size)->default_value(o.page_size),
         "read-stream, read-all: max_count of each read")
        ("subscribers", po::value(&subscribers)->default_value(subscribers),
         "live, fan-out, idle-subscribers: subscribers, comma-separated for several points")
        ("rate", po::value(&o.rate)->default_value(o.rate), "live, fan-out: appends per second")
        ("stalled", po::value(&stalled)->default_value(stalled),
         "fan-out: subscribers (among --subscribers) that stop reading once caught up and read "
         "again after the appends, comma-separated for several points (0,1: with and without)")
        ("max-batch-events", po::value(&max_batch_events)->default_value(max_batch_events),
         "catch-up, live, fan-out: SubscribeRequest.max_batch_events (0: one event per "
         "message), comma-separated for several points")
        ("idle-window", po::value(&o.idle_window_s)->default_value(o.idle_window_s),
         "idle-subscribers: seconds over which the server's CPU is read")
        ("rss-events", po::value(&o.rss_events)->default_value(o.rss_events),
         "rss: events appended before the server's RSS is read")
        ("growth-events", po::value(&o.growth_events)->default_value(o.growth_events),
         "growth: events appended to a fresh server (the first and the last tenth timed)")
        ("json", po::value(&o.json_path), "also write the results to this JSON file")
        ("eventstored", po::value(&o.eventstored)->default_value(o.eventstored),
         "the eventstored binary to start")
        ("noop-server", po::value(&o.noop_server)->default_value(o.noop_server),
         "the no-op server binary to start for --baseline noop")
        ("plugin-dir", po::value(&o.plugin_dir)->default_value(o.plugin_dir),
         "where the started eventstored finds its backend plugins")
        ("help,h", "print this help and exit");
    po::variables_map args;
    try {
        po::store(po::command_line_parser(argc, argv).options(flags)
                      .positional(po::positional_options_description()).run(),
                  args);
        if (args.count("help")) {
            std::cout << "eventstore-bench: load and latency of an eventstored against baselines "
                         "measured in the same run\n\n"
                      << flags << "\nResults and how to read them: docs/benchmarks.md\n";
            exit_code = 0;
            return std::nullopt;
        }
        po::notify(args);
        o.scenarios = parse_scenarios(scenarios);
        o.baseline = parse_baseline(baseline);
        o.protocol = parse_protocol(protocol);
        o.concurrency = parse_list("concurrency", concurrency);
        o.events_per_append = parse_list("events-per-append", events_per_append);
        o.subscribers = parse_list("subscribers", subscribers);
        o.stalled = parse_list("stalled", stalled, true);
        o.max_batch_events = parse_list("max-batch-events", max_batch_events, true);
        const bool fan_out =
            std::find(o.scenarios.begin(), o.scenarios.end(), "fan-out") != o.scenarios.end();
        for (uint32_t s : o.stalled) {
            for (uint32_t n : o.subscribers) {
                if (fan_out && s >= n) {
                    throw po::error("fan-out: --stalled must stay below --subscribers");
                }
            }
        }
        if (kurrent_append != "append" && kurrent_append != "batch") {
            throw po::error("--kurrent-append is append or batch, got '" + kurrent_append + "'");
        }
        o.kurrent_batch_append = kurrent_append == "batch";
        if (o.kurrent_batch_append && o.protocol != Protocol::kurrent) {
            throw po::error("--kurrent-append batch needs --protocol kurrent");
        }
        if (o.protocol == Protocol::kurrent) check_kurrent(o);
        if (o.baseline == Baseline::v1 && o.protocol != Protocol::kurrent) {
            throw po::error("--baseline v1 compares --protocol kurrent with eventstore.v1");
        }
        for (const std::string& option : backend_options) {
            const auto equals = option.find('=');
            if (equals == std::string::npos || equals == 0) {
                throw po::error("--backend-option takes KEY=VALUE, got '" + option + "'");
            }
            o.backend_options.emplace_back(option.substr(0, equals), option.substr(equals + 1));
        }
        if (o.backend != "memory" && o.backend != "postgres" && o.backend != "sqlite") {
            throw po::error("--backend is memory, postgres or sqlite, got '" + o.backend + "'");
        }
        const bool growth =
            std::find(o.scenarios.begin(), o.scenarios.end(), "growth") != o.scenarios.end();
        const bool has_path = std::any_of(o.backend_options.begin(), o.backend_options.end(),
                                          [](const auto& option) { return option.first == "path"; });
        if (growth && (!o.target.empty() || has_path)) {
            throw po::error("growth appends to a fresh server this tool starts, on a file of its "
                            "own: drop --target and --backend-option path");
        }
        if (o.dsn.empty() && std::getenv("EVENTSTORE_PG_DSN") != nullptr) {
            o.dsn = std::getenv("EVENTSTORE_PG_DSN");
        }
        if (o.target.empty() && o.backend == "postgres" && o.dsn.empty()) {
            throw po::error("--backend postgres needs --dsn or $EVENTSTORE_PG_DSN "
                            "(bench/run-postgres.sh starts a private PostgreSQL and sets it)");
        }
        if (o.baseline == Baseline::pgbench && o.dsn.empty()) {
            throw po::error("--baseline pgbench needs --dsn or $EVENTSTORE_PG_DSN");
        }
        if (o.repeats == 0 || o.duration_s <= 0 || o.channels == 0 || o.page_size == 0 ||
            o.rate <= 0 || o.zipf_streams == 0 || o.idle_window_s <= 0 || o.growth_events == 0) {
            throw po::error("--repeats, --duration, --channels, --page-size, --rate, "
                            "--zipf-streams, --idle-window and --growth-events must be positive");
        }
    } catch (const po::error& e) {
        std::cerr << "eventstore-bench: " << e.what() << "\n(eventstore-bench --help lists the "
                  << "options)\n";
        exit_code = kExitUsage;
        return std::nullopt;
    }
    o.command_line = joined_command_line(argc, argv);
    return o;
}

}  // namespace eventstore::bench
