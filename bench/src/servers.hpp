// servers.hpp: the servers a benchmark runs against: an eventstored this tool starts from the
// build tree (memory or postgres backend), the no-op server of the same service (the gRPC
// ceiling), or a server already running (--target).
#ifndef EVENTSTORE_BENCH_SERVERS_HPP
#define EVENTSTORE_BENCH_SERVERS_HPP

#include <memory>
#include <optional>
#include <string>

#include "options.hpp"
#include "process_support.hpp"

namespace eventstore::bench {

// A server to load: its address, and its process when this tool started it (stopped with it).
class BenchServer {
public:
    // `label` names it in reports ("memory", "postgres", "noop", "target").
    BenchServer(std::string label, std::string address);
    BenchServer(std::string label, std::unique_ptr<test::TempDir> dir,
                std::unique_ptr<test::EventstoredProcess> process);
    ~BenchServer();

    const std::string& label() const { return label_; }
    const std::string& address() const { return address_; }
    // The server's resident memory (VmRSS) in bytes; nothing for a server this tool did not start.
    std::optional<uint64_t> rss_bytes() const;

private:
    std::string label_;
    std::unique_ptr<test::TempDir> dir_;
    std::unique_ptr<test::EventstoredProcess> process_;
    std::string address_;
};

// The project's server as the options say: --target, else eventstored started with --backend.
// Throws std::runtime_error with the server's log when it does not come up.
std::unique_ptr<BenchServer> project_server(const Options& options);
// The no-op server (bench/noop), started on a free port.
std::unique_ptr<BenchServer> noop_server(const Options& options);

}  // namespace eventstore::bench

#endif
