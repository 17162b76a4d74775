#include "config/config_section.hpp"

#include <stdexcept>

namespace eventstore::server {
namespace {

std::string joined(const std::set<std::string>& items) {
    std::string list;
    for (const auto& item : items) list += (list.empty() ? "" : ", ") + item;
    return list;
}

}  // namespace

Section::Section(const YAML::Node& node, std::string path, std::set<std::string> known,
                 const std::string& source)
    : node_(node), path_(std::move(path)), source_(source) {
    if (!node_ || node_.IsNull()) return;
    if (!node_.IsMap()) fail(node_, (path_.empty() ? "the file" : path_) + " must be a mapping");
    for (const auto& item : node_) {
        const auto key = item.first.as<std::string>();
        if (!known.count(key)) {
            fail(item.first, "unknown key '" + qualified(key) + "' (known here: " + joined(known) + ")");
        }
    }
}

YAML::Node Section::child(const std::string& key) const {
    if (!node_ || !node_.IsMap() || !node_[key]) return YAML::Node(YAML::NodeType::Undefined);
    return node_[key];
}

std::string Section::qualified(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
}

void Section::fail(const YAML::Node& at, const std::string& what) const {
    throw ConfigError{source_ + ":" + std::to_string(at.Mark().line + 1) + ": " + what};
}

std::string Section::text(const std::string& key, std::string fallback) const {
    const YAML::Node value = child(key);
    if (!value) return fallback;
    if (!value.IsScalar()) fail(value, qualified(key) + " must be a string");
    return value.Scalar();
}

uint64_t Section::number(const std::string& key, uint64_t fallback, uint64_t min,
                         uint64_t max) const {
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

bool Section::flag(const std::string& key, bool fallback) const {
    const YAML::Node value = child(key);
    if (!value) return fallback;
    const std::string raw = value.IsScalar() ? value.Scalar() : "";
    if (raw == "true") return true;
    if (raw == "false") return false;
    fail(value, qualified(key) + " must be true or false, got '" + raw + "'");
}

std::string Section::choice(const std::string& key, std::string fallback,
                            const std::set<std::string>& allowed) const {
    const std::string value = text(key, fallback);
    if (!allowed.count(value)) {
        fail(child(key), qualified(key) + " must be one of " + joined(allowed) + ", got '" + value + "'");
    }
    return value;
}

std::vector<std::string> Section::texts(const std::string& key,
                                        std::vector<std::string> fallback) const {
    const YAML::Node value = child(key);
    if (!value) return fallback;
    if (!value.IsSequence()) fail(value, qualified(key) + " must be a list of strings");
    std::vector<std::string> items;
    for (const auto& item : value) {
        if (!item.IsScalar()) fail(item, qualified(key) + " items must be strings");
        items.push_back(item.Scalar());
    }
    return items;
}

std::filesystem::path Section::file(const std::string& key,
                                    const std::filesystem::path& base_dir) const {
    const std::string value = text(key, "");
    if (value.empty()) return {};
    const std::filesystem::path path(value);
    return (path.is_absolute() ? path : base_dir / path).lexically_normal();
}

}  // namespace eventstore::server
