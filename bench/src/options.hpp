// options.hpp: eventstore-bench's command line. Every flag, its default and what it does:
// `eventstore-bench --help` and docs/benchmarks.md.
#ifndef EVENTSTORE_BENCH_OPTIONS_HPP
#define EVENTSTORE_BENCH_OPTIONS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace eventstore::bench {

// What the load runs against besides the project's server, in the same run. noop: the no-op
// server; memory: a second eventstored on the memory backend (the same load, after each run);
// read-all: ReadAll pages of 1,000 over the same events on the same server (catch-up); v1: the
// same load through eventstore.v1 on the same server (with --protocol kurrent).
enum class Baseline { none, noop, memory, pgbench, sqlite, read_all, v1 };

// The client protocol the load speaks: eventstore.v1, or KurrentDB's (event_store.client.streams,
// what the official KurrentDB clients send: append_scenarios.cpp, subscribe_scenarios.cpp).
enum class Protocol { v1, kurrent };

// "v1" or "kurrent", as in reports and on the command line.
const char* protocol_name(Protocol protocol);

struct Options;

// The load's name in reports: protocol_name, or "kurrent-batch" for --kurrent-append batch.
const char* load_name(const Options& o);

struct Options {
    std::vector<std::string> scenarios;        // see scenarios.hpp for the names
    std::string target;                        // HOST:PORT of a running server; empty: start one
    std::string backend = "memory";            // memory | postgres | sqlite, when starting eventstored
    std::vector<std::pair<std::string, std::string>> backend_options;  // key=value for the plugin
    std::string dsn;                           // postgres: libpq DSN (default $EVENTSTORE_PG_DSN)
    Baseline baseline = Baseline::none;
    Protocol protocol = Protocol::v1;
    bool kurrent_batch_append = false;  // --kurrent-append batch: Streams.BatchAppend

    std::vector<uint32_t> concurrency{16};        // calls in flight (append, reads), or subscribers
    std::vector<uint32_t> events_per_append{1};
    uint32_t payload_bytes = 200;
    double duration_s = 5;     // of each measured run
    double warmup_s = 1;       // load before each measured run, not counted
    uint32_t repeats = 3;      // runs per point; the reported figure is their median
    uint32_t channels = 4;     // gRPC channels (TCP connections) the calls spread over

    uint32_t zipf_streams = 1000;  // append-zipf: streams drawn from
    double zipf_exponent = 0.99;
    uint64_t seed_events = 100000;   // read-stream, read-all, catch-up: events written first
    uint32_t page_size = 100;        // read-stream, read-all: max_count
    std::vector<uint32_t> subscribers{10};  // live, fan-out, idle-subscribers
    double rate = 1000;                     // live, fan-out: appends per second
    std::vector<uint32_t> stalled{0};       // fan-out: subscribers among them that stop reading
    std::vector<uint32_t> max_batch_events{0};  // catch-up, live, fan-out: 0 = one event a message
    double idle_window_s = 30;              // idle-subscribers: seconds the server's CPU is read
    uint64_t rss_events = 1000000;          // rss: events appended before RSS is read
    uint64_t growth_events = 10000000;      // growth: events appended to a fresh server

    std::string json_path;  // also write the results as JSON here
    std::string eventstored = EVENTSTORED_PATH;
    std::string noop_server = NOOP_SERVER_PATH;
    std::string plugin_dir = BUILD_PLUGIN_DIR;
    std::string command_line;  // as given, for the report
};

// Parses argv. Prints help or a usage error and returns nothing when the program should exit
// (`exit_code` says with what).
std::optional<Options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace eventstore::bench

#endif
