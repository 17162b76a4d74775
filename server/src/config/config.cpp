#include "config/config.hpp"

#include <fstream>
#include <sstream>

#include "config/config_section.hpp"
#include "eventstore/validation.hpp"

namespace eventstore::server {
Result<Config> parse_config(const std::string& yaml, const std::filesystem::path& base_dir,
                            const std::string& source) {
    try {
        const YAML::Node root_node = YAML::Load(yaml);
        const Section root(root_node, "",
                           {"listen", "backend", "limits", "subscriptions", "logging",
                            "shutdown_grace_ms", "tls", "auth", "connections", "metrics"},
                           source);
        Config config;
        config.listen = root.text("listen", config.listen);
        if (config.listen.find(':') == std::string::npos) {
            root.fail(root.child("listen"), "listen must be HOST:PORT, got '" + config.listen + "'");
        }
        config.shutdown_grace =
            std::chrono::milliseconds(root.number("shutdown_grace_ms", 5000, 0, 3600000));

        const Section backend(root.child("backend"), "backend",
                              {"plugin", "plugin_dirs", "options", "timeout_ms"}, source);
        config.backend.plugin = backend.text("plugin", config.backend.plugin);
        if (config.backend.plugin.empty()) {
            backend.fail(backend.child("plugin"), "backend.plugin must not be empty");
        }
        if (const YAML::Node dirs = backend.child("plugin_dirs")) {
            if (!dirs.IsSequence()) backend.fail(dirs, "backend.plugin_dirs must be a list of folders");
            for (const auto& dir : dirs) {
                if (!dir.IsScalar()) backend.fail(dir, "backend.plugin_dirs items must be folder paths");
                const std::filesystem::path path(dir.Scalar());
                config.backend.plugin_dirs.push_back((path.is_absolute() ? path : base_dir / path).lexically_normal());
            }
        }
        config.backend.plugin_dirs.emplace_back(EVENTSTORE_PLUGIN_INSTALL_DIR);
        config.backend.timeout =
            std::chrono::milliseconds(backend.number("timeout_ms", 30000, 1, 3600000));
        config.backend.options = backend.child("options");
        if (config.backend.options && !config.backend.options.IsNull() &&
            !config.backend.options.IsMap()) {
            backend.fail(config.backend.options, "backend.options must be a mapping");
        }

        const Section limits(root.child("limits"), "limits",
                             {"max_append_bytes", "max_append_events", "max_stream_id_bytes",
                              "default_page_size", "max_page_size"},
                             source);
        es_limits& l = config.limits;
        l.struct_size = sizeof(es_limits);
        l.max_append_bytes = limits.number("max_append_bytes", validation::kDefaultMaxAppendBytes, 1,
                                           1024ull * 1024 * 1024);
        l.max_append_events = static_cast<uint32_t>(
            limits.number("max_append_events", validation::kDefaultMaxAppendEvents, 1, 1000000));
        l.max_stream_id_bytes = static_cast<uint32_t>(
            limits.number("max_stream_id_bytes", validation::kDefaultMaxStreamIdBytes, 1, 65536));
        l.max_page_size = static_cast<uint32_t>(
            limits.number("max_page_size", validation::kDefaultMaxPageSize, 1, 100000));
        l.default_page_size = static_cast<uint32_t>(limits.number(
            "default_page_size", std::min<uint64_t>(validation::kDefaultPageSize, l.max_page_size), 1,
            l.max_page_size));

        const Section subs(root.child("subscriptions"), "subscriptions",
                           {"checkpoint_interval", "checkpoint_period_ms", "batch_size",
                            "poll_interval_ms", "max_batch_events", "max_buffered_events",
                            "max_buffered_bytes"},
                           source);
        SubscriptionConfig& s = config.subscriptions;
        s.checkpoint_interval = subs.number("checkpoint_interval", 1000, 1, 1000000000);
        s.checkpoint_period = std::chrono::milliseconds(
            subs.number("checkpoint_period_ms", 1000, 10, 3600000));
        s.batch_size = static_cast<uint32_t>(
            subs.number("batch_size", std::min<uint64_t>(500, l.max_page_size), 1, l.max_page_size));
        s.poll_interval =
            std::chrono::milliseconds(subs.number("poll_interval_ms", 100, 1, 60000));
        s.max_batch_events =
            static_cast<uint32_t>(subs.number("max_batch_events", s.max_batch_events, 1, 100000));
        s.max_buffered_events =
            subs.number("max_buffered_events", s.max_buffered_events, 1, 100000000);
        s.max_buffered_bytes =
            subs.number("max_buffered_bytes", s.max_buffered_bytes, 1024, 1ull << 40);

        const Section logging(root.child("logging"), "logging", {"level", "format"}, source);
        config.logging.level =
            logging.choice("level", "info", {"trace", "debug", "info", "warn", "error"});
        config.logging.json = logging.choice("format", "plain", {"plain", "json"}) == "json";

        config.tls = parse_tls(root, config.listen, base_dir);
        config.auth = parse_auth(root, base_dir);
        config.connections = parse_connections(root);
        config.metrics = parse_metrics(root);
        return config;
    } catch (const ConfigError& e) {
        return Status(Code::invalid_argument, e.message);
    } catch (const YAML::Exception& e) {
        return Status(Code::invalid_argument,
                      source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}

Result<Config> load_config(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return Status(Code::not_found, "cannot read config file " + file.string());
    std::stringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), std::filesystem::absolute(file).parent_path(), file.string());
}

}  // namespace eventstore::server
