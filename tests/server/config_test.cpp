// The config loader: defaults, and errors that name the key and its line.
#include <gtest/gtest.h>

#include "config/config.hpp"

namespace eventstore::server {
namespace {

std::string error_of(const std::string& yaml) {
    auto config = parse_config(yaml, "/base", "test.yaml");
    EXPECT_FALSE(config.ok());
    return config.ok() ? "" : config.status().message();
}

TEST(ConfigTest, GivenAnEmptyFile_WhenParsed_ThenTheDocumentedDefaults) {
    auto config = parse_config("{}", "/base", "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    EXPECT_EQ(config->listen, "127.0.0.1:50051");
    EXPECT_EQ(config->backend.plugin, "memory");
    EXPECT_EQ(config->backend.timeout, std::chrono::milliseconds(30000));
    EXPECT_EQ(config->limits.max_append_bytes, 4u * 1024 * 1024);
    EXPECT_EQ(config->limits.max_append_events, 10000u);
    EXPECT_EQ(config->limits.max_stream_id_bytes, 256u);
    EXPECT_EQ(config->limits.default_page_size, 100u);
    EXPECT_EQ(config->limits.max_page_size, 1000u);
    EXPECT_EQ(config->subscriptions.checkpoint_interval, 1000u);
    EXPECT_EQ(config->logging.level, "info");
    EXPECT_FALSE(config->logging.json);
    ASSERT_EQ(config->backend.plugin_dirs.size(), 1u);
    EXPECT_EQ(config->backend.plugin_dirs[0], EVENTSTORE_PLUGIN_INSTALL_DIR);
    EXPECT_TRUE(config->kurrent.enabled);
}

TEST(ConfigTest, GivenTheKurrentSection_WhenParsed_ThenTheSwitchIsReadAndAnUnknownKeyIsNamed) {
    auto off = parse_config("kurrent:\n  enabled: false\n", "/base", "test.yaml");
    ASSERT_TRUE(off.ok()) << off.status().message();
    EXPECT_FALSE(off->kurrent.enabled);
    EXPECT_NE(error_of("kurrent:\n  enable: false\n").find("kurrent.enable"), std::string::npos);
    EXPECT_NE(error_of("kurrent:\n  enabled: sometimes\n").find("kurrent.enabled"), std::string::npos);
}

TEST(ConfigTest, GivenRelativePluginDirs_WhenParsed_ThenTakenFromTheConfigFolderBeforeTheInstallDir) {
    auto config = parse_config("backend:\n  plugin_dirs: [plugins, /abs]\n", "/base", "test.yaml");
    ASSERT_TRUE(config.ok());
    ASSERT_EQ(config->backend.plugin_dirs.size(), 3u);
    EXPECT_EQ(config->backend.plugin_dirs[0], "/base/plugins");
    EXPECT_EQ(config->backend.plugin_dirs[1], "/abs");
}

TEST(ConfigTest, GivenAnUnknownKey_WhenParsed_ThenTheErrorNamesTheKeyAndItsLine) {
    const std::string error = error_of("listen: 127.0.0.1:1\nlimits:\n  max_apend_events: 3\n");
    EXPECT_NE(error.find("test.yaml:3:"), std::string::npos) << error;
    EXPECT_NE(error.find("limits.max_apend_events"), std::string::npos) << error;
}

TEST(ConfigTest, GivenAWrongType_WhenParsed_ThenTheErrorNamesTheKeyAndItsLine) {
    const std::string error = error_of("limits:\n  max_append_events: lots\n");
    EXPECT_NE(error.find("test.yaml:2:"), std::string::npos) << error;
    EXPECT_NE(error.find("limits.max_append_events must be a whole number"), std::string::npos) << error;
}

TEST(ConfigTest, GivenAnOutOfRangeValue_WhenParsed_ThenTheErrorNamesTheRange) {
    const std::string error = error_of("limits:\n  max_append_events: 0\n");
    EXPECT_NE(error.find("between 1 and"), std::string::npos) << error;
}

TEST(ConfigTest, GivenABadChoice_WhenParsed_ThenTheErrorListsTheChoices) {
    const std::string error = error_of("logging:\n  format: xml\n");
    EXPECT_NE(error.find("logging.format must be one of json, plain"), std::string::npos) << error;
}

TEST(ConfigTest, GivenBrokenYaml_WhenParsed_ThenTheErrorHasALine) {
    const std::string error = error_of("listen: [\n");
    EXPECT_NE(error.find("test.yaml:"), std::string::npos) << error;
}

TEST(ConfigTest, GivenABackendTimeout_WhenParsed_ThenTakenOrRefusedOutsideItsRange) {
    auto config = parse_config("backend:\n  timeout_ms: 750\n", "/base", "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    EXPECT_EQ(config->backend.timeout, std::chrono::milliseconds(750));
    const std::string error = error_of("backend:\n  timeout_ms: 0\n");
    EXPECT_NE(error.find("backend.timeout_ms"), std::string::npos) << error;
    EXPECT_NE(error.find("between 1 and 3600000"), std::string::npos) << error;
}

TEST(ConfigTest, GivenBackendOptions_WhenParsed_ThenKeptForThePlugin) {
    auto config = parse_config("backend:\n  options:\n    max_bytes: 100\n", "/base", "test.yaml");
    ASSERT_TRUE(config.ok());
    const std::vector<std::pair<std::string, std::string>> expected{{"max_bytes", "100"}};
    EXPECT_EQ(config->backend.options.pairs, expected);
    EXPECT_EQ(config->backend.options.yaml, "max_bytes: 100");
}

TEST(ConfigTest, GivenNestedBackendOptions_WhenParsed_ThenFlattenedAsPluginAbiSaysAndKeptAsText) {
    auto config = parse_config(
        "backend:\n  options:\n    connection: {host: db, port: \"5432\"}\n    hosts: [a, b]\n"
        "    empty: {}\n    none: ~\n",
        "/base", "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    const std::vector<std::pair<std::string, std::string>> expected{
        {"connection.host", "db"}, {"connection.port", "5432"}, {"hosts.0", "a"}, {"hosts.1", "b"},
        {"none", ""}};
    EXPECT_EQ(config->backend.options.pairs, expected);
    EXPECT_NE(config->backend.options.yaml.find("hosts:"), std::string::npos)
        << config->backend.options.yaml;
}

TEST(ConfigTest, GivenNoOrNullBackendOptions_WhenParsed_ThenThePluginGetsNone) {
    for (const std::string yaml : {"{}", "backend:\n  options:\n"}) {
        auto config = parse_config(yaml, "/base", "test.yaml");
        ASSERT_TRUE(config.ok()) << yaml;
        EXPECT_TRUE(config->backend.options.pairs.empty()) << yaml;
        EXPECT_TRUE(config->backend.options.yaml.empty()) << yaml;
    }
}

}  // namespace
}  // namespace eventstore::server
