// servers.hpp: the servers a benchmark runs against: an eventstored this tool starts from the
// build tree (memory, postgres or sqlite backend), the no-op server of the same service (the gRPC
// ceiling), or a server already running (--target).
#ifndef EVENTSTORE_BENCH_SERVERS_HPP
#define EVENTSTORE_BENCH_SERVERS_HPP

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "figures.hpp"
#include "options.hpp"
#include "process_support.hpp"

namespace eventstore::bench {

// A server to load: its address, and its process when this tool started it (stopped with it).
class BenchServer {
public:
    // `label` names it in reports ("memory", "postgres", "noop", "target").
    BenchServer(std::string label, std::string address);
    // `data_file`: the database file of a started sqlite backend (see data_file()).
    BenchServer(std::string label, std::unique_ptr<test::TempDir> dir,
                std::unique_ptr<test::EventstoredProcess> process,
                std::optional<std::filesystem::path> data_file = {});
    ~BenchServer();

    const std::string& label() const { return label_; }
    const std::string& address() const { return address_; }
    // The database file of a started server on the sqlite backend (its WAL is this path plus
    // "-wal"); nothing for other backends and for --target.
    const std::optional<std::filesystem::path>& data_file() const { return data_file_; }
    // The server's resident memory (VmRSS) in bytes; nothing for a server this tool did not start.
    std::optional<uint64_t> rss_bytes() const;
    // CPU time (user + system) the server has used so far, in seconds; nothing as rss_bytes.
    std::optional<double> cpu_seconds() const;
    // The server's threads (Threads of /proc/<pid>/status); nothing as rss_bytes.
    std::optional<uint64_t> threads() const;
    // The samples of its /metrics page ("name{labels}" -> value); nothing for a server without
    // one (a started eventstored serves it on a free port: metrics.listen).
    std::optional<std::map<std::string, double>> metrics() const;

private:
    std::optional<uint64_t> status_field(const std::string& key) const;

    std::string label_;
    std::unique_ptr<test::TempDir> dir_;
    std::unique_ptr<test::EventstoredProcess> process_;
    std::string address_;
    std::optional<std::filesystem::path> data_file_;
    int metrics_port_ = 0;  // 0: none
};

// Measures the CPU the server and this client use over a measured window, the figures that stay
// meaningful on a shared machine: server_cpu_us_per_event (CPU microseconds the server spent per
// event), server_cores and client_cores (CPU seconds per wall-clock second of the window, from
// construction to stop()).
class CpuMeter {
public:
    // Starts the window now.
    explicit CpuMeter(const BenchServer& server);
    // Ends the window.
    void stop();
    // Adds the figures to `figures` (its events and seconds already set).
    void report(RunFigures& figures) const;

private:
    const BenchServer& server_;
    std::optional<double> server_start_, server_end_;
    double client_start_, client_end_ = 0;
    std::chrono::steady_clock::time_point wall_start_, wall_end_;
};

// The names of the server's metrics this tool reads (docs/operations.md), in one place.
namespace metric {
// Successful appends (each one commit on the memory backend).
inline constexpr const char* kAppends = "eventstore_append_events_count";
// One sample per backend read_all a subscription makes (the subscriber lag histogram): today's
// backend reads for subscriptions.
inline constexpr const char* kSubscriptionReads = "eventstore_subscriber_lag_positions_count";
// Issue 14's shared tail: its backend read_all calls, and the commit notifications it follows.
// Until a server has them, the figures made from them are left out.
inline constexpr const char* kTailReads = "eventstore_subscription_tail_reads_total";
inline constexpr const char* kCommitNotifications = "eventstore_subscription_tail_notifications_total";
}  // namespace metric

// The server's backend reads for subscriptions over a window, from its /metrics at construction
// and at stop(): appends, subscription_reads and subscription_reads_per_append (today's
// metrics), and when the server has them tail_reads, commit_notifications and
// tail_reads_per_commit. Adds nothing for a server without /metrics.
class MetricsWindow {
public:
    explicit MetricsWindow(const BenchServer& server);
    void stop();
    void report(RunFigures& figures) const;

private:
    const BenchServer& server_;
    std::optional<std::map<std::string, double>> start_, end_;
};

// The project's server as the options say: --target, else eventstored started with --backend.
// Throws std::runtime_error with the server's log when it does not come up.
std::unique_ptr<BenchServer> project_server(const Options& options);
// The no-op server (bench/noop), started on a free port.
std::unique_ptr<BenchServer> noop_server(const Options& options);
// eventstored on the memory backend, started as project_server does (--baseline memory).
std::unique_ptr<BenchServer> memory_server(const Options& options);

}  // namespace eventstore::bench

#endif
