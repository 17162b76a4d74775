// Black-box mode: eventstore-conformance --target against a real eventstored with the memory
// backend, both as child processes, over a real loopback port.
#include <fstream>
#include <regex>
#include <sstream>

#include <boost/process.hpp>
#include <gtest/gtest.h>

#include "process_support.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;
namespace bp = boost::process;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The last line that starts like a verdict, or "".
std::string verdict_of(const std::string& output) {
    std::istringstream lines(output);
    std::string line, verdict;
    while (std::getline(lines, line)) {
        if (line.rfind("CONFORMANT: ", 0) == 0 || line.rfind("NOT CONFORMANT: ", 0) == 0) {
            verdict = line;
        }
    }
    return verdict;
}

TEST(ConformanceTarget, GivenEventstoredWithTheMemoryBackend_WhenCertifiedOverGrpc_ThenConformant) {
    TempDir dir;
    const uint16_t port = free_port();
    const std::string address = "127.0.0.1:" + std::to_string(port);
    const auto config = dir.write("eventstore.yaml", "listen: " + address +
                                                         "\nbackend:\n  plugin: " MEMORY_PLUGIN_PATH
                                                         "\n");
    EventstoredProcess server({"--config", config.string()}, dir);
    ASSERT_TRUE(server.wait_for_log("listening on", 20s)) << server.log();

    const auto output_path = dir.path() / "conformance.out";
    bp::child suite(CONFORMANCE_PATH, "--target", address, (bp::std_out & bp::std_err) >
                                                                 output_path.string(),
                    bp::std_in < bp::null);
    std::error_code ec;
    const bool ended = suite.wait_for(std::chrono::seconds(120), ec);
    if (!ended) suite.terminate(ec);
    const std::string output = read_file(output_path);
    ASSERT_TRUE(ended) << "eventstore-conformance did not finish in 120 s\n" << output;
    EXPECT_EQ(suite.exit_code(), 0) << output;

    const std::string verdict = verdict_of(output);
    std::smatch counts;
    ASSERT_TRUE(std::regex_match(verdict, counts,
                                 std::regex("CONFORMANT: " + address +
                                            " over gRPC passed ([0-9]+) of ([0-9]+) checks")))
        << "verdict: " << verdict << "\n" << output;
    EXPECT_EQ(counts[1], counts[2]);
    EXPECT_GE(std::stoi(counts[1]), 40) << verdict;
    // The server serves the lifecycle RPCs and the memory backend has them: no Lifecycle check
    // may be skipped as unimplemented.
    EXPECT_EQ(output.find("the server answers UNIMPLEMENTED"), std::string::npos) << output;
}

}  // namespace
}  // namespace eventstore::test
