// eventstored: the event store server. Usage: eventstored --help.
#include <csignal>
#include <iostream>

#include <absl/synchronization/mutex.h>
#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include "config/config.hpp"
#include "observability/logging.hpp"
#include "security/crypto.hpp"
#include "server.hpp"

namespace po = boost::program_options;
using namespace eventstore;

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// Blocks SIGTERM and SIGINT (stop) and SIGHUP (reload the tokens) in this thread and every thread
// started after, so that main can wait for them with sigwait instead of running code in a signal
// handler.
sigset_t block_handled_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

int check_config(const server::Config& config, const std::string& source) {
    auto path = loader::resolve_plugin(config.backend.plugin, config.backend.plugin_dirs);
    if (!path.ok()) {
        spdlog::error("{}", path.status().message());
        return kExitFailure;
    }
    auto plugin = loader::Plugin::load(path.value(), server::server_version());
    if (!plugin.ok()) {
        spdlog::error("{}", plugin.status().message());
        return kExitFailure;
    }
    std::cout << "config OK: " << source << " (backend " << plugin.value()->name() << " "
              << plugin.value()->version() << " from " << path.value().string() << ")\n";
    return 0;
}

// --hash-token: the SHA-256 of the token on stdin (its first line), for auth.tokens[].sha256.
int hash_token() {
    std::string token;
    std::getline(std::cin, token);
    if (!token.empty() && token.back() == '\r') token.pop_back();
    if (token.empty()) {
        std::cerr << "eventstored: --hash-token reads the token from stdin, e.g. "
                     "`printf %s \"$TOKEN\" | eventstored --hash-token`; it got an empty line\n";
        return kExitUsage;
    }
    std::cout << server::sha256_hex(token) << "\n";
    return 0;
}

// --new-token: a fresh random token for a client, and its SHA-256 for the config.
int new_token() {
    const std::string token = server::random_token();
    std::cout << "token: " << token << "\nsha256: " << server::sha256_hex(token) << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // First of all, before any library can start a thread that would inherit an open mask.
    const sigset_t handled_signals = block_handled_signals();
    // gRPC's mutexes are abseil's, and Debian's abseil checks every lock order for deadlocks at run
    // time (a graph of every mutex, updated on each lock): 2.5 to 4 % of the server's CPU on small
    // appends (docs/benchmarks.md, "Profiles"). gRPC is tested upstream with it; we switch it off.
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
    po::options_description options("eventstored options");
    options.add_options()
        ("config,c", po::value<std::string>(), "YAML configuration file (default: built-in defaults)")
        ("check-config", "validate the configuration and the backend plugin, then exit")
        ("hash-token", "read a bearer token from stdin, print its SHA-256 for auth.tokens, exit")
        ("new-token", "print a new random bearer token and its SHA-256, then exit")
        ("version", "print the version and exit")
        ("help,h", "print this help and exit");
    po::variables_map args;
    try {
        // No positional arguments: a stray word is an error, not silently ignored.
        po::store(po::command_line_parser(argc, argv).options(options)
                      .positional(po::positional_options_description()).run(),
                  args);
        po::notify(args);
    } catch (const po::error& e) {
        std::cerr << "eventstored: " << e.what() << "\n" << options;
        return kExitUsage;
    }
    if (args.count("help")) {
        std::cout << "eventstored " << server::server_version()
                  << ": an event store server with pluggable storage backends\n\n"
                  << options << "\nConfiguration reference: docs/configuration.md\n";
        return 0;
    }
    if (args.count("version")) {
        std::cout << "eventstored " << server::server_version() << " (plugin ABI "
                  << ES_PLUGIN_ABI_MAJOR << "." << ES_PLUGIN_ABI_MINOR << ")\n";
        return 0;
    }

    if (args.count("hash-token")) return hash_token();
    if (args.count("new-token")) return new_token();

    const std::string source = args.count("config") ? args["config"].as<std::string>() : "";
    auto config = source.empty() ? server::parse_config("{}", ".", "built-in defaults")
                                 : server::load_config(source);
    server::setup_logging(config.ok() ? config->logging : server::LoggingConfig{});
    if (!config.ok()) {
        spdlog::error("invalid configuration: {}", config.status().message());
        return kExitFailure;
    }
    if (args.count("check-config")) {
        return check_config(config.value(), source.empty() ? "built-in defaults" : source);
    }

    auto created = server::Server::create(config.value());
    if (!created.ok()) {
        spdlog::error("{}", created.status().message());
        return kExitFailure;
    }
    server::Server& server = *created.value();
    if (Status started = server.start(); !started.ok()) {
        spdlog::error("{}", started.message());
        return kExitFailure;
    }
    int signal = 0;
    while (sigwait(&handled_signals, &signal) == 0 && signal == SIGHUP) {
        if (source.empty()) {
            spdlog::warn("received SIGHUP: no --config file, so no tokens to reload");
        } else {
            spdlog::info("received SIGHUP; reloading the tokens of {}", source);
            (void)server.reload_tokens(source);  // it logs the outcome; a refusal keeps the tokens
        }
    }
    spdlog::info("received {}; shutting down", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    server.shutdown();
    return 0;
}
