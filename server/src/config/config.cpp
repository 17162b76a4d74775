#include "config/config.hpp"

#include <fstream>
#include <sstream>

#include "config/config_section.hpp"

namespace eventstore::server {
namespace {

std::string parse_listen(const Section& root, const std::string& fallback) {
    const std::string listen = root.text("listen", fallback);
    if (listen.find(':') == std::string::npos) {
        root.fail(root.child("listen"), "listen must be HOST:PORT, got '" + listen + "'");
    }
    return listen;
}

LoggingConfig parse_logging(const Section& root) {
    const Section section(root.child("logging"), "logging", {"level", "format"}, root.source());
    LoggingConfig config;
    config.level =
        section.choice("level", config.level, {"trace", "debug", "info", "warn", "error"});
    config.json = section.choice("format", config.json ? "json" : "plain", {"plain", "json"}) == "json";
    return config;
}

const std::set<std::string> kTopLevelKeys = {
    "listen", "backend", "limits", "subscriptions", "logging", "shutdown_grace_ms",
    "tls", "auth", "connections", "metrics", "kurrent"};

// Runs `parse` (which throws ConfigError or YAML::Exception) and turns what it throws into an
// INVALID_ARGUMENT naming the source and line.
template <class Parse>
auto parsed(const std::string& source, Parse parse) -> Result<decltype(parse())> {
    try {
        return parse();
    } catch (const ConfigError& e) {
        return Status(Code::invalid_argument, e.message);
    } catch (const YAML::Exception& e) {
        return Status(Code::invalid_argument,
                      source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}

Result<std::string> read_text(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return Status(Code::not_found, "cannot read config file " + file.string());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

Result<Config> parse_config(const std::string& yaml, const std::filesystem::path& base_dir,
                            const std::string& source) {
    return parsed(source, [&] {
        const YAML::Node root_node = YAML::Load(yaml);
        const Section root(root_node, "", kTopLevelKeys, source);
        Config config;
        config.listen = parse_listen(root, config.listen);
        config.shutdown_grace = std::chrono::milliseconds(
            root.number("shutdown_grace_ms", config.shutdown_grace.count(), 0, 3600000));
        config.backend = parse_backend(root, base_dir);
        config.limits = parse_limits(root);
        config.subscriptions = parse_subscriptions(root, config.limits);
        config.logging = parse_logging(root);
        config.tls = parse_tls(root, config.listen, base_dir);
        config.auth = parse_auth(root, base_dir);
        config.connections = parse_connections(root);
        config.metrics = parse_metrics(root);
        config.kurrent = parse_kurrent(root);
        return config;
    });
}

Result<Config> load_config(const std::filesystem::path& file) {
    auto text = read_text(file);
    if (!text.ok()) return text.status();
    return parse_config(text.value(), std::filesystem::absolute(file).parent_path(), file.string());
}

Result<AuthConfig> load_auth_config(const std::filesystem::path& file) {
    auto text = read_text(file);
    if (!text.ok()) return text.status();
    const std::string source = file.string();
    return parsed(source, [&] {
        const YAML::Node root_node = YAML::Load(text.value());
        const Section root(root_node, "", kTopLevelKeys, source);
        return parse_auth(root, std::filesystem::absolute(file).parent_path());
    });
}

}  // namespace eventstore::server
