#include "servers.hpp"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <limits>
#include <iterator>
#include <regex>
#include <sstream>
#include <stdexcept>

#include <sys/resource.h>
#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include "http_get.hpp"
#include "subscriptions.hpp"

namespace eventstore::bench {
namespace {

constexpr std::chrono::seconds kStartTimeout{60};

// The sqlite backend's file: --backend-option path=FILE, else events.db in the server's
// temporary folder `dir`.
std::filesystem::path sqlite_file(const Options& options, const std::filesystem::path& dir) {
    for (const auto& [key, value] : options.backend_options) {
        if (key == "path") return value;
    }
    return dir / "events.db";
}

std::string eventstored_config(const Options& options, const std::filesystem::path& dir) {
    YAML::Emitter yaml;
    yaml << YAML::BeginMap << YAML::Key << "listen" << YAML::Value << "127.0.0.1:0";
    yaml << YAML::Key << "backend" << YAML::Value << YAML::BeginMap;
    yaml << YAML::Key << "plugin" << YAML::Value << options.backend;
    yaml << YAML::Key << "plugin_dirs" << YAML::Value << YAML::Flow << YAML::BeginSeq
         << options.plugin_dir << YAML::EndSeq;
    yaml << YAML::Key << "options" << YAML::Value << YAML::BeginMap;
    if (options.backend == "postgres") yaml << YAML::Key << "dsn" << YAML::Value << options.dsn;
    if (options.backend == "sqlite") {
        yaml << YAML::Key << "path" << YAML::Value << sqlite_file(options, dir).string();
    }
    for (const auto& [key, value] : options.backend_options) {
        if (key != "path" || options.backend != "sqlite") yaml << YAML::Key << key << YAML::Value << value;
    }
    yaml << YAML::EndMap << YAML::EndMap;
    // The subscription scenarios open enough connections for this limit (subscriptions.hpp).
    yaml << YAML::Key << "connections" << YAML::Value << YAML::BeginMap
         << YAML::Key << "max_subscriptions_per_connection" << YAML::Value
         << kSubscriptionsPerConnection << YAML::EndMap;
    yaml << YAML::Key << "metrics" << YAML::Value << YAML::BeginMap << YAML::Key << "listen"
         << YAML::Value << "127.0.0.1:0" << YAML::EndMap;
    yaml << YAML::EndMap;
    return yaml.c_str();
}

// Waits for the start-up line ("... listening on HOST:PORT ...") and returns HOST:PORT.
std::string listening_address(test::EventstoredProcess& process, const std::string& what) {
    if (!process.wait_for_log("listening on", kStartTimeout)) {
        throw std::runtime_error(what + " did not start; its log:\n" + process.log());
    }
    std::smatch match;
    const std::string log = process.log();
    if (!std::regex_search(log, match, std::regex("listening on ([^ ]+:[0-9]+)"))) {
        throw std::runtime_error(what + " logged no address; its log:\n" + log);
    }
    return match[1];
}

// The port of "metrics and probes on http://127.0.0.1:PORT/metrics" (logged before "listening
// on"); 0 when the server logged none.
int metrics_port(const test::EventstoredProcess& process) {
    std::smatch match;
    const std::string log = process.log();
    if (!std::regex_search(log, match, std::regex("metrics and probes on http://[^ ]+:([0-9]+)/"))) {
        return 0;
    }
    return std::stoi(match[1]);
}

}  // namespace

BenchServer::BenchServer(std::string label, std::string address)
    : label_(std::move(label)), address_(std::move(address)) {}

BenchServer::BenchServer(std::string label, std::unique_ptr<test::TempDir> dir,
                         std::unique_ptr<test::EventstoredProcess> process,
                         std::optional<std::filesystem::path> data_file)
    : label_(std::move(label)),
      dir_(std::move(dir)),
      process_(std::move(process)),
      data_file_(std::move(data_file)) {
    address_ = listening_address(*process_, label_ + " server");
    metrics_port_ = metrics_port(*process_);
}

BenchServer::~BenchServer() {
    if (process_) process_->signal(SIGTERM);
    if (process_ && !process_->wait_for_exit(std::chrono::seconds(10))) process_.reset();
}

std::optional<uint64_t> BenchServer::status_field(const std::string& name) const {
    if (!process_) return std::nullopt;
    std::ifstream status("/proc/" + std::to_string(process_->pid()) + "/status");
    std::string key;
    uint64_t value = 0;
    while (status >> key) {
        if (key == name && status >> value) return value;
        status.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
    return std::nullopt;
}

std::optional<uint64_t> BenchServer::rss_bytes() const {
    const auto kib = status_field("VmRSS:");
    if (!kib) return std::nullopt;
    return *kib * 1024;
}

std::optional<uint64_t> BenchServer::threads() const { return status_field("Threads:"); }

std::optional<std::map<std::string, double>> BenchServer::metrics() const {
    if (metrics_port_ == 0) return std::nullopt;
    const test::HttpResponse response = test::http_get(metrics_port_, "/metrics");
    if (response.status != 200) return std::nullopt;
    return test::parse_metrics(response.body);
}

std::optional<double> BenchServer::cpu_seconds() const {
    if (!process_) return std::nullopt;
    std::ifstream stat("/proc/" + std::to_string(process_->pid()) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // Fields after the command name (which may hold spaces, and ends at the last ')'):
    // state is field 3; utime and stime are fields 14 and 15.
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i >= 14) ticks += std::stod(field);
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

namespace {

double own_cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

CpuMeter::CpuMeter(const BenchServer& server)
    : server_(server),
      server_start_(server.cpu_seconds()),
      client_start_(own_cpu_seconds()),
      wall_start_(std::chrono::steady_clock::now()) {}

void CpuMeter::stop() {
    server_end_ = server_.cpu_seconds();
    client_end_ = own_cpu_seconds();
    wall_end_ = std::chrono::steady_clock::now();
}

void CpuMeter::report(RunFigures& figures) const {
    const double wall = std::chrono::duration<double>(wall_end_ - wall_start_).count();
    if (wall <= 0) return;
    figures.extra["client_cores"] = (client_end_ - client_start_) / wall;
    if (!server_start_ || !server_end_) return;
    const double used = *server_end_ - *server_start_;
    figures.extra["server_cores"] = used / wall;
    if (figures.events > 0) figures.extra["server_cpu_us_per_event"] = used * 1e6 / figures.events;
}

MetricsWindow::MetricsWindow(const BenchServer& server)
    : server_(server), start_(server.metrics()) {}

void MetricsWindow::stop() { end_ = server_.metrics(); }

void MetricsWindow::report(RunFigures& figures) const {
    if (!start_ || !end_) return;
    // The growth of `name` over the window; nothing when either scrape lacks it.
    const auto delta = [&](const char* name) -> std::optional<double> {
        const auto a = start_->find(name), b = end_->find(name);
        if (a == start_->end() || b == end_->end()) return std::nullopt;
        return b->second - a->second;
    };
    const auto appends = delta(metric::kAppends);
    const auto reads = delta(metric::kSubscriptionReads);
    if (appends) figures.extra["appends"] = *appends;
    if (reads) figures.extra["subscription_reads"] = *reads;
    if (appends && reads && *appends > 0) figures.extra["subscription_reads_per_append"] = *reads / *appends;
    const auto tail_reads = delta(metric::kTailReads);
    const auto commits = delta(metric::kCommitNotifications);
    if (tail_reads) figures.extra["tail_reads"] = *tail_reads;
    if (commits) figures.extra["commit_notifications"] = *commits;
    if (tail_reads && commits && *commits > 0) figures.extra["tail_reads_per_commit"] = *tail_reads / *commits;
}

std::unique_ptr<BenchServer> project_server(const Options& options) {
    if (!options.target.empty()) return std::make_unique<BenchServer>("target", options.target);
    auto dir = std::make_unique<test::TempDir>();
    const auto config = dir->write("eventstore.yaml", eventstored_config(options, dir->path()));
    auto process = std::make_unique<test::EventstoredProcess>(
        std::vector<std::string>{"--config", config.string()}, *dir, options.eventstored);
    std::optional<std::filesystem::path> data_file;
    if (options.backend == "sqlite") data_file = sqlite_file(options, dir->path());
    return std::make_unique<BenchServer>(options.backend, std::move(dir), std::move(process),
                                         std::move(data_file));
}

std::unique_ptr<BenchServer> noop_server(const Options& options) {
    auto dir = std::make_unique<test::TempDir>();
    auto process = std::make_unique<test::EventstoredProcess>(
        std::vector<std::string>{"--listen", "127.0.0.1:0"}, *dir, options.noop_server);
    return std::make_unique<BenchServer>("noop", std::move(dir), std::move(process));
}

std::unique_ptr<BenchServer> memory_server(const Options& options) {
    Options memory = options;
    memory.target.clear();
    memory.backend = "memory";
    memory.backend_options.clear();
    return project_server(memory);
}

}  // namespace eventstore::bench
