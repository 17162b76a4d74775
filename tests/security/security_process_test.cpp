// The eventstored binary: the token helpers of the command line, and what start-up says about
// plaintext beyond loopback.
#include <cstdio>

#include <gtest/gtest.h>

#include "process_support.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

// Runs `command` through the shell; its stdout and exit code.
std::pair<std::string, int> run(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return {"", -1};
    char buffer[256];
    while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) out.append(buffer, n);
    const int status = pclose(pipe);
    return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

TEST(TokenCommandLineTest, GivenATokenOnStdin_WhenHashing_ThenItsSha256IsPrinted) {
    const auto [out, code] = run("printf %s secret | '" EVENTSTORED_PATH "' --hash-token");
    EXPECT_EQ(code, 0);
    EXPECT_EQ(out, "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\n");
    const auto [with_newline, code2] = run("echo secret | '" EVENTSTORED_PATH "' --hash-token");
    EXPECT_EQ(with_newline, out);
    const auto [empty, code3] = run("'" EVENTSTORED_PATH "' --hash-token < /dev/null 2>/dev/null");
    EXPECT_EQ(code3, 2);
    EXPECT_EQ(empty, "");
}

TEST(TokenCommandLineTest, GivenNewToken_WhenRun_ThenATokenAndTheHashOfThatToken) {
    const auto [out, code] = run("'" EVENTSTORED_PATH "' --new-token");
    ASSERT_EQ(code, 0);
    ASSERT_EQ(out.size(), std::string("token: \nsha256: \n").size() + 128) << out;
    const std::string token = out.substr(7, 64);
    const std::string hash = out.substr(7 + 64 + 9, 64);
    EXPECT_EQ(run("printf %s " + token + " | '" EVENTSTORED_PATH "' --hash-token").first, hash + "\n");
}

TEST(PlaintextWarningTest, GivenPlaintextAskedForBeyondLoopback_WhenStarted_ThenAWarningIsLogged) {
    TempDir dir;
    const uint16_t port = free_port();
    const auto config = dir.write("eventstore.yaml", "listen: 0.0.0.0:" + std::to_string(port) +
                                                         "\nbackend:\n  plugin: " MEMORY_PLUGIN_PATH
                                                         "\ntls:\n  plaintext: true\n");
    EventstoredProcess process({"--config", config.string()}, dir);
    ASSERT_TRUE(process.wait_for_log("listening on", 20s)) << process.log();
    EXPECT_NE(process.log().find("warning serving plaintext on 0.0.0.0:" + std::to_string(port) +
                                 " (tls.plaintext: true)"),
              std::string::npos)
        << process.log();
    EXPECT_NE(process.log().find("; plaintext, authentication off"), std::string::npos);
}

TEST(PlaintextWarningTest, GivenLoopbackPlaintext_WhenStarted_ThenNoWarning) {
    TempDir dir;
    const auto config = dir.write("eventstore.yaml", "listen: 127.0.0.1:" + std::to_string(free_port()) +
                                                         "\nbackend:\n  plugin: " MEMORY_PLUGIN_PATH "\n");
    EventstoredProcess process({"--config", config.string()}, dir);
    ASSERT_TRUE(process.wait_for_log("listening on", 20s)) << process.log();
    EXPECT_EQ(process.log().find("warning"), std::string::npos) << process.log();
}

TEST(PlaintextWarningTest, GivenNoTlsBeyondLoopback_WhenStarted_ThenExitOneSayingWhatToSet) {
    TempDir dir;
    const auto config = dir.write("eventstore.yaml", "listen: 0.0.0.0:" + std::to_string(free_port()) +
                                                         "\nbackend:\n  plugin: " MEMORY_PLUGIN_PATH "\n");
    EventstoredProcess process({"--config", config.string()}, dir);
    EXPECT_EQ(process.wait_for_exit(20s), std::optional<int>(1));
    EXPECT_NE(process.log().find("is reachable from other hosts and TLS is not configured"),
              std::string::npos)
        << process.log();
}

}  // namespace
}  // namespace eventstore::test
