#include "command_line.hpp"

#include <sstream>
#include <string_view>

#include <boost/program_options.hpp>
#include <yaml-cpp/yaml.h>

#include "config/plugin_options.hpp"

namespace eventstore::conformance {

namespace po = boost::program_options;

namespace {

po::options_description describe(CommandLine& line) {
    po::options_description options("eventstore-conformance options");
    options.add_options()
        ("plugin", po::value(&line.plugin), "the plugin to certify: a short name or a path to a .so")
        ("plugin-dir", po::value(&line.plugin_dirs)->composing(),
         "a folder where a plugin named by short name is looked up (repeatable)")
        ("config", po::value(&line.config),
         "YAML file of the plugin's options: its `options` mapping, or the whole file")
        ("target", po::value(&line.target),
         "HOST:PORT of a running eventstored: run the API-level checks over gRPC instead")
        ("writers", po::value(&line.writers)->default_value(16),
         "threads of the concurrency checks (CAS race, positions, visibility)")
        ("duration-ms", po::value(&line.duration_ms)->default_value(2000),
         "how long each visibility check's writers and readers run")
        ("help,h", "print this help, then GoogleTest's flags, and exit");
    return options;
}

}  // namespace

Result<CommandLine> parse_command_line(int argc, char** argv) {
    CommandLine line;
    const po::options_description options = describe(line);
    try {
        po::variables_map values;
        po::store(po::parse_command_line(argc, argv, options), values);
        po::notify(values);
    } catch (const po::error& e) {
        return Status(Code::invalid_argument, e.what());
    }
    if (line.plugin.empty() == line.target.empty()) {
        return Status(Code::invalid_argument, "give exactly one of --plugin and --target");
    }
    if (!line.target.empty() && !line.config.empty()) {
        return Status(Code::invalid_argument, "--config applies to --plugin only");
    }
    if (line.writers < 2) return Status(Code::invalid_argument, "--writers must be at least 2");
    if (line.duration_ms < 1) return Status(Code::invalid_argument, "--duration-ms must be positive");
    return line;
}

bool asks_for_help(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h" || arg == "-?") return true;
    }
    return false;
}

std::string usage() {
    CommandLine ignored;
    std::ostringstream out;
    out << "usage: eventstore-conformance --plugin PATH_OR_NAME [--plugin-dir DIR ...] "
           "[--config FILE]\n"
           "                              [--writers N] [--duration-ms N] [--gtest_filter=...]\n"
           "       eventstore-conformance --target HOST:PORT [--writers N] [--duration-ms N]\n\n"
           "Certifies an event store backend against the contract. Prints one verdict line;\n"
           "exit 0 conformant, 1 not conformant, 2 usage error or the plugin cannot be loaded.\n"
           "GoogleTest's own flags (--gtest_filter, --gtest_list_tests, ...) work too.\n\n"
        << describe(ignored) << "\nThe checks and how to read a failure: docs/conformance.md\n";
    return out.str();
}

Result<loader::OpenOptions> read_plugin_options(const std::string& config_path) {
    if (config_path.empty()) return loader::OpenOptions{};
    try {
        const YAML::Node file = YAML::LoadFile(config_path);
        const server::PluginOptions options =
            server::plugin_options_from_yaml(file.IsMap() && file["options"] ? file["options"] : file);
        return loader::OpenOptions{options.yaml, options.pairs, {}};
    } catch (const YAML::Exception& e) {
        return Status(Code::invalid_argument, "cannot read --config " + config_path + ": " + e.what());
    }
}

std::vector<std::filesystem::path> plugin_search_path(const CommandLine& line) {
    std::vector<std::filesystem::path> dirs = line.plugin_dirs;
    std::error_code ec;
    const auto program = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) dirs.push_back(program.parent_path().parent_path() / "plugins");
    dirs.emplace_back(EVENTSTORE_PLUGIN_INSTALL_DIR);
    return dirs;
}

}  // namespace eventstore::conformance
