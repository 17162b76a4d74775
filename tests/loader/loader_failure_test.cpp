// Runs the real eventstored against broken backends (tests/fixtures) and checks that each refusal
// exits 1 within 10 s, logs the one line that names the cause, and leaves nothing listening.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "eventstore/plugin.h"
#include "process_support.hpp"

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

using eventstore::test::EventstoredProcess;
using eventstore::test::free_port;
using eventstore::test::is_listening;
using eventstore::test::TempDir;

constexpr auto kExitDeadline = std::chrono::seconds(10);

long count_lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

// A YAML single-quoted scalar: no escapes but '' for '.
std::string quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

struct Outcome {
    bool finished = false;  // false: still running at the deadline, then killed
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs eventstored with `args` and waits for it to exit; a process still running at the deadline
// is killed.
Outcome run_eventstored(const std::vector<std::string>& args, const TempDir& dir) {
    EventstoredProcess process(args, dir);
    const auto exit_code = process.wait_for_exit(kExitDeadline);
    return Outcome{exit_code.has_value(), exit_code.value_or(-1), process.out(), process.log()};
}

class LoaderFailure : public ::testing::Test {
protected:
    // A config that listens on this test's port and loads `plugin` (a short name or a path).
    fs::path write_config(const std::string& plugin, const std::vector<fs::path>& plugin_dirs = {}) {
        std::string yaml = "listen: 127.0.0.1:" + std::to_string(port_) + "\n" +
                           "backend:\n"
                           "  plugin: " + quoted(plugin) + "\n";
        if (!plugin_dirs.empty()) {
            yaml += "  plugin_dirs:\n";
            for (const auto& dir : plugin_dirs) yaml += "    - " + quoted(dir.string()) + "\n";
        }
        return write_config_text(yaml);
    }

    fs::path write_config_text(const std::string& yaml) { return dir_.write("eventstore.yaml", yaml); }

    Outcome start(const fs::path& config) { return run_eventstored({"--config", config.string()}, dir_); }
    Outcome check(const fs::path& config) {
        return run_eventstored({"--config", config.string(), "--check-config"}, dir_);
    }

    // eventstored refuses to start with `config`, naming the cause in one line on stderr, and
    // leaves the port free.
    void expect_refused_at_start(const fs::path& config, const std::string& expected) {
        SCOPED_TRACE("eventstored --config " + config.string());
        const Outcome run = start(config);
        ASSERT_TRUE(run.finished) << "still running after 10 s; stderr:\n" << run.err;
        EXPECT_EQ(run.exit_code, 1);
        EXPECT_THAT(run.err, HasSubstr(expected));
        EXPECT_EQ(count_lines(run.err), 1) << "stderr:\n" << run.err;
        EXPECT_EQ(run.out, "");
        EXPECT_TRUE(!is_listening(port_)) << "something listens on 127.0.0.1:" << port_;
    }

    // --check-config refuses `config` the same way.
    void expect_refused_by_check(const fs::path& config, const std::string& expected) {
        SCOPED_TRACE("eventstored --config " + config.string() + " --check-config");
        const Outcome run = check(config);
        ASSERT_TRUE(run.finished) << "still running after 10 s; stderr:\n" << run.err;
        EXPECT_EQ(run.exit_code, 1);
        EXPECT_THAT(run.err, HasSubstr(expected));
        EXPECT_EQ(count_lines(run.err), 1) << "stderr:\n" << run.err;
        EXPECT_THAT(run.out, Not(HasSubstr("config OK")));
    }

    // Both: a plugin that cannot be loaded fails the start and the check alike.
    void expect_refused(const fs::path& config, const std::string& expected) {
        expect_refused_at_start(config, expected);
        expect_refused_by_check(config, expected);
    }

    TempDir dir_;
    uint16_t port_ = free_port();
};

// --- The plugin cannot be found --------------------------------------------------------------

TEST_F(LoaderFailure, GivenAPluginPathThatDoesNotExist_WhenStarting_ThenItExitsNamingTheFile) {
    expect_refused(write_config("/nonexistent/x.so"),
                   "plugin file /nonexistent/x.so does not exist");
}

TEST_F(LoaderFailure, GivenAShortNameInNoPluginDir_WhenStarting_ThenItExitsListingTheDirsSearched) {
    const fs::path first = dir_.path() / "plugins";
    const fs::path second = FIXTURE_DIR;
    fs::create_directory(first);
    expect_refused(write_config("nosuch", {first, second}),
                   "plugin 'nosuch' not found; searched: " + (first / "nosuch.so").string() +
                       ", " + (second / "nosuch.so").string() + ", ");
}

// --- The file is not a plugin ----------------------------------------------------------------

TEST_F(LoaderFailure, GivenATextFileNamedLikeAPlugin_WhenStarting_ThenItExitsSayingItIsNotElf) {
    expect_refused(write_config(FIXTURE_NOT_A_PLUGIN),
                   "cannot use plugin " + std::string(FIXTURE_NOT_A_PLUGIN) +
                       ": it is not an ELF shared object");
}

TEST_F(LoaderFailure, GivenALibraryWithoutTheEntrySymbol_WhenStarting_ThenItExitsNamingTheSymbol) {
    expect_refused(write_config(FIXTURE_NO_ENTRY),
                   "cannot use plugin " + std::string(FIXTURE_NO_ENTRY) +
                       ": it is not an eventstore plugin: it does not export "
                       "eventstore_plugin_entry");
}

// --- The plugin speaks another ABI -----------------------------------------------------------

TEST_F(LoaderFailure, GivenAPluginOfANewerAbiMajor_WhenStarting_ThenItExitsNamingBothVersions) {
    expect_refused(write_config(FIXTURE_ABI_MAJOR_2),
                   "plugin 'abi-major-2' implements ABI 2.0, but this eventstored speaks ABI 1.0 "
                   "to 1.5; upgrade eventstored, or use a build of the plugin for ABI 1");
}

TEST_F(LoaderFailure, GivenAPluginOfAnOlderAbiMajor_WhenStarting_ThenItExitsNamingBothVersions) {
    expect_refused(write_config(FIXTURE_ABI_MAJOR_0),
                   "plugin 'abi-major-0' implements ABI 0.0, but this eventstored speaks ABI 1.0 "
                   "to 1.5");
}

TEST_F(LoaderFailure, GivenAPluginOfANewerAbiMinor_WhenStarting_ThenItExitsNamingBothVersions) {
    expect_refused(write_config(FIXTURE_ABI_MINOR_NEXT),
                   "plugin 'abi-minor-next' needs ABI 1.6, but this eventstored knows ABI 1.0 to "
                   "1.5 only; upgrade eventstored");
}

// --- The plugin's entry or table is wrong ----------------------------------------------------

TEST_F(LoaderFailure, GivenAnEntryThatFails_WhenStarting_ThenItExitsWithTheStatusAndMessage) {
    expect_refused(write_config(FIXTURE_ENTRY_FAILS),
                   "cannot use plugin " + std::string(FIXTURE_ENTRY_FAILS) +
                       ": its entry failed (INTERNAL): fixture: entry cannot initialise "
                       "(deliberate)");
}

TEST_F(LoaderFailure, GivenATableWithAnEmptyName_WhenStarting_ThenItExitsSayingTheNameIsEmpty) {
    expect_refused(write_config(FIXTURE_EMPTY_NAME),
                   "cannot use plugin " + std::string(FIXTURE_EMPTY_NAME) +
                       ": it reports an empty name");
}

TEST_F(LoaderFailure, GivenALargerTableWithUnknownFieldsSet_WhenStarting_ThenItExitsNamingTheSizes) {
    const size_t known = sizeof(es_plugin_api);
    const size_t reported = known + sizeof(uint64_t);
    expect_refused(write_config(FIXTURE_TABLE_TOO_LARGE),
                   "its es_plugin_api table is " + std::to_string(reported) +
                       " bytes with non-zero fields beyond the " + std::to_string(known) +
                       " bytes this build knows");
}

// --- The store cannot be opened --------------------------------------------------------------

// Only the start opens the store: --check-config loads the plugin but does not open it.
TEST_F(LoaderFailure, GivenAStoreThatFailsToOpen_WhenStarting_ThenItExitsWithThePluginsMessage) {
    expect_refused_at_start(write_config(FIXTURE_OPEN_FAILS),
                            "backend 'open-fails' failed to open: fixture: cannot reach storage "
                            "at db.invalid:5432");
}

// --- The configuration is wrong --------------------------------------------------------------

TEST_F(LoaderFailure, GivenAnUnknownKeyOnLine3_WhenStarting_ThenItExitsNamingTheKeyAndLine) {
    const fs::path config = write_config_text("listen: 127.0.0.1:" + std::to_string(port_) +
                                              "\n"
                                              "backend:\n"
                                              "  plugn: memory\n");
    const std::string expected =
        "invalid configuration: " + config.string() + ":3: unknown key 'backend.plugn'";
    expect_refused(config, expected);
}

// --- Controls: what loads --------------------------------------------------------------------

class CheckConfig : public LoaderFailure {};

TEST_F(CheckConfig, GivenTheMemoryPluginByShortName_WhenCheckingConfig_ThenItPrintsConfigOk) {
    const fs::path plugin_dir = fs::path(MEMORY_PLUGIN_PATH).parent_path();
    const Outcome run = check(write_config("memory", {plugin_dir}));
    ASSERT_TRUE(run.finished) << "still running after 10 s";
    EXPECT_EQ(run.exit_code, 0) << "stderr:\n" << run.err;
    EXPECT_THAT(run.out, HasSubstr("config OK"));
    EXPECT_THAT(run.out, HasSubstr("(backend memory "));
    EXPECT_THAT(run.out, HasSubstr(" from " + std::string(MEMORY_PLUGIN_PATH) + ")"));
    EXPECT_EQ(run.err, "");
    EXPECT_TRUE(!is_listening(port_));
}

// A plugin built for ABI 1.0 (a 1.0-sized table, no store_health) loads and serves; the
// conformance suite certifies it in full (tests/conformance, Conformance.memory-abi-1-0).
TEST_F(CheckConfig, GivenAPluginOfAnOlderAbiMinor_WhenStarting_ThenItServesSpeakingAbi10) {
    EventstoredProcess process({"--config", write_config(FIXTURE_MEMORY_ABI_1_0).string()}, dir_);
    ASSERT_TRUE(process.wait_for_log("listening on", kExitDeadline)) << process.log();
    EXPECT_THAT(process.log(), HasSubstr("with backend memory 0.1.0 (ABI 1.0, " +
                                         std::string(FIXTURE_MEMORY_ABI_1_0)));
    EXPECT_TRUE(is_listening(port_));
}

// The fixtures differ from this one by their variant alone, so each refusal above is the variant's.
TEST_F(CheckConfig, GivenTheValidFixture_WhenCheckingConfig_ThenItPrintsConfigOk) {
    const Outcome run = check(write_config(FIXTURE_VALID));
    ASSERT_TRUE(run.finished) << "still running after 10 s";
    EXPECT_EQ(run.exit_code, 0) << "stderr:\n" << run.err;
    EXPECT_THAT(run.out, HasSubstr("config OK"));
    EXPECT_THAT(run.out, HasSubstr("(backend valid 0.0.1 from " + std::string(FIXTURE_VALID) + ")"));
}

}  // namespace
