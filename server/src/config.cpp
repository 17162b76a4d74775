#include "config.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "eventstore/validation.hpp"

namespace eventstore::server {
namespace {

// A config error that carries the source and line; thrown inside this file only and turned into a
// Status by parse_config.
struct ConfigError {
    std::string message;
};

class Section {
public:
    Section(const YAML::Node& node, std::string path, std::set<std::string> known,
            const std::string& source)
        : node_(node), path_(std::move(path)), source_(source) {
        if (!node_ || node_.IsNull()) return;
        if (!node_.IsMap()) fail(node_, (path_.empty() ? "the file" : path_) + " must be a mapping");
        for (const auto& item : node_) {
            const auto key = item.first.as<std::string>();
            if (!known.count(key)) {
                std::string list;
                for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
                fail(item.first, "unknown key '" + qualified(key) + "' (known here: " + list + ")");
            }
        }
    }

    // The value under `key`, or an undefined node (`!node`) when the section or the key is absent.
    YAML::Node child(const std::string& key) const {
        if (!node_ || !node_.IsMap() || !node_[key]) return YAML::Node(YAML::NodeType::Undefined);
        return node_[key];
    }
    std::string qualified(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

    [[noreturn]] void fail(const YAML::Node& at, const std::string& what) const {
        throw ConfigError{source_ + ":" + std::to_string(at.Mark().line + 1) + ": " + what};
    }

    std::string text(const std::string& key, std::string fallback) const {
        const YAML::Node value = child(key);
        if (!value) return fallback;
        if (!value.IsScalar()) fail(value, qualified(key) + " must be a string");
        return value.Scalar();
    }

    uint64_t number(const std::string& key, uint64_t fallback, uint64_t min, uint64_t max) const {
        const YAML::Node value = child(key);
        if (!value) return fallback;
        const std::string raw = value.IsScalar() ? value.Scalar() : "";
        uint64_t parsed = 0;
        size_t used = 0;
        try {
            if (raw.empty() || raw[0] == '-' || raw[0] == '+') throw std::invalid_argument(raw);
            parsed = std::stoull(raw, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != raw.size()) {
            fail(value, qualified(key) + " must be a whole number, got '" + raw + "'");
        }
        if (parsed < min || parsed > max) {
            fail(value, qualified(key) + " must be between " + std::to_string(min) + " and " +
                            std::to_string(max) + ", got " + raw);
        }
        return parsed;
    }

    std::string choice(const std::string& key, std::string fallback,
                       const std::set<std::string>& allowed) const {
        const std::string value = text(key, fallback);
        if (!allowed.count(value)) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            fail(child(key), qualified(key) + " must be one of " + list + ", got '" + value + "'");
        }
        return value;
    }

private:
    YAML::Node node_;
    std::string path_;
    const std::string& source_;
};

}  // namespace

Result<Config> parse_config(const std::string& yaml, const std::filesystem::path& base_dir,
                            const std::string& source) {
    try {
        const YAML::Node root_node = YAML::Load(yaml);
        const Section root(root_node, "",
                           {"listen", "backend", "limits", "subscriptions", "logging",
                            "shutdown_grace_ms"},
                           source);
        Config config;
        config.listen = root.text("listen", config.listen);
        if (config.listen.find(':') == std::string::npos) {
            root.fail(root.child("listen"), "listen must be HOST:PORT, got '" + config.listen + "'");
        }
        config.shutdown_grace =
            std::chrono::milliseconds(root.number("shutdown_grace_ms", 5000, 0, 3600000));

        const Section backend(root.child("backend"), "backend",
                              {"plugin", "plugin_dirs", "options"}, source);
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
                            "poll_interval_ms"},
                           source);
        SubscriptionConfig& s = config.subscriptions;
        s.checkpoint_interval = subs.number("checkpoint_interval", 1000, 1, 1000000000);
        s.checkpoint_period = std::chrono::milliseconds(
            subs.number("checkpoint_period_ms", 1000, 10, 3600000));
        s.batch_size = static_cast<uint32_t>(
            subs.number("batch_size", std::min<uint64_t>(500, l.max_page_size), 1, l.max_page_size));
        s.poll_interval =
            std::chrono::milliseconds(subs.number("poll_interval_ms", 100, 1, 60000));

        const Section logging(root.child("logging"), "logging", {"level", "format"}, source);
        config.logging.level =
            logging.choice("level", "info", {"trace", "debug", "info", "warn", "error"});
        config.logging.json = logging.choice("format", "plain", {"plain", "json"}) == "json";
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
