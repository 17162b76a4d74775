// command_line.hpp: eventstore-conformance's own flags. GoogleTest takes its --gtest_* flags out
// of argv first (InitGoogleTest); what is left is parsed here, and anything unknown is an error.
#ifndef EVENTSTORE_CONFORMANCE_COMMAND_LINE_HPP
#define EVENTSTORE_CONFORMANCE_COMMAND_LINE_HPP

#include <filesystem>
#include <string>
#include <vector>

#include "eventstore/loader/store.hpp"
#include "eventstore/status.hpp"

namespace eventstore::conformance {

struct CommandLine {
    std::string plugin;                              // --plugin: a short name or a path
    std::vector<std::filesystem::path> plugin_dirs;  // --plugin-dir, in order
    std::string config;                              // --config: YAML with the plugin's options
    std::string target;                              // --target HOST:PORT
    int writers = 16;
    int duration_ms = 2000;
};

// INVALID_ARGUMENT with a message for a person when the flags are wrong.
Result<CommandLine> parse_command_line(int argc, char** argv);
// Whether the command line asks for help (--help, -h or -?, the spellings GoogleTest knows too).
bool asks_for_help(int argc, char** argv);
// The usage line and the suite's own flags (GoogleTest's are not among them).
std::string usage();

// The plugin's options from a --config file: its `options` mapping when it has one, else the
// whole file. No file: no options. A file that cannot be read or parsed: INVALID_ARGUMENT.
Result<loader::OpenOptions> read_plugin_options(const std::string& config_path);

// Where a plugin given by short name is looked up: the --plugin-dir folders, then the build
// tree's plugins folder beside this program's bin/, then the install directory.
std::vector<std::filesystem::path> plugin_search_path(const CommandLine& line);

}  // namespace eventstore::conformance

#endif
