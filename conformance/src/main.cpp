// eventstore-conformance: certifies a backend plugin (through the loader the server uses) or a
// running server (over gRPC) against the contract. Usage: eventstore-conformance --help;
// the checks: docs/conformance.md.
#include <iostream>

#include <gtest/gtest.h>

#include "command_line.hpp"
#include "grpc_backend.hpp"
#include "subject.hpp"
#include "verdict.hpp"

using namespace eventstore;
using namespace eventstore::conformance;

namespace {

constexpr int kExitNotConformant = 1;
constexpr int kExitCannotRun = 2;
constexpr std::chrono::seconds kConnectTimeout{10};

// Loads the plugin and opens (and closes) one store, so a plugin that cannot even open is told
// once, here, rather than by every check.
Result<Subject> plugin_subject(const CommandLine& line) {
    auto path = loader::resolve_plugin(line.plugin, plugin_search_path(line));
    if (!path.ok()) return path.status();
    auto plugin = loader::Plugin::load(path.value(), EVENTSTORE_VERSION);
    if (!plugin.ok()) return plugin.status();
    auto options = read_plugin_options(line.config);
    if (!options.ok()) return options.status();
    Subject subject;
    subject.name = plugin.value()->name();
    subject.version = plugin.value()->version();
    subject.plugin = plugin.value();
    subject.options = options.value();
    if (auto probe = AbiBackend::open(subject.plugin, subject.options); !probe.ok()) {
        return probe.status();
    }
    return subject;
}

Result<Subject> target_subject(const CommandLine& line) {
    auto channel = connect(line.target, kConnectTimeout);
    if (!channel.ok()) return channel.status();
    Subject subject;
    subject.name = line.target;
    subject.version = "over gRPC";
    subject.channel = channel.value();
    return subject;
}

}  // namespace

int main(int argc, char** argv) {
    // The suite's own flags first; InitGoogleTest then prints GoogleTest's, as it does whenever
    // it sees --help.
    const bool help = asks_for_help(argc, argv);
    if (help) std::cout << usage() << "\nGoogleTest's own flags:\n" << std::flush;
    ::testing::InitGoogleTest(&argc, argv);  // takes the --gtest_* flags out of argv
    if (help) return 0;
    if (GTEST_FLAG_GET(list_tests)) return RUN_ALL_TESTS();

    auto line = parse_command_line(argc, argv);
    if (!line.ok()) {
        std::cerr << "eventstore-conformance: " << line.status().message() << "\n\n" << usage();
        return kExitCannotRun;
    }
    auto subject = line.value().target.empty() ? plugin_subject(line.value())
                                               : target_subject(line.value());
    if (!subject.ok()) {
        std::cerr << "eventstore-conformance: " << subject.status().message() << "\n";
        return kExitCannotRun;
    }
    subject.value().writers = line.value().writers;
    subject.value().duration = std::chrono::milliseconds(line.value().duration_ms);
    const std::string name = subject.value().name;
    const std::string version = subject.value().version;
    set_subject(std::move(subject.value()));

    auto* listener = new VerdictListener;  // owned by GoogleTest from here on
    ::testing::UnitTest::GetInstance()->listeners().Append(listener);
    // The verdict, not GoogleTest's status, decides the exit code.
    [[maybe_unused]] const int gtest_status = RUN_ALL_TESTS();

    if (!listener->skipped().empty()) {
        std::cout << "not counted: " << listener->skipped().size() << " checks skipped:\n";
        for (const auto& [reason, count] : listener->skip_reasons()) {
            std::cout << "  " << count << ": " << reason << "\n";
        }
    }
    std::cout << listener->verdict(name, version) << std::endl;
    const bool conformant = listener->conformant();
    set_subject(Subject{});  // unload the plugin, close the channel, before static destruction
    return conformant ? 0 : kExitNotConformant;
}
