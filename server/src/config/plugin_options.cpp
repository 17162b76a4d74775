#include "config/plugin_options.hpp"

#include <yaml-cpp/yaml.h>

namespace eventstore::server {
namespace {

void flatten(const YAML::Node& node, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out) {
    const auto key_of = [&](const std::string& child) {
        return prefix.empty() ? child : prefix + "." + child;
    };
    switch (node.Type()) {
    case YAML::NodeType::Map:
        for (const auto& item : node) flatten(item.second, key_of(item.first.as<std::string>()), out);
        break;
    case YAML::NodeType::Sequence:
        for (size_t i = 0; i < node.size(); ++i) flatten(node[i], key_of(std::to_string(i)), out);
        break;
    case YAML::NodeType::Scalar:
        out.emplace_back(prefix, node.Scalar());
        break;
    case YAML::NodeType::Null:
        if (!prefix.empty()) out.emplace_back(prefix, "");
        break;
    case YAML::NodeType::Undefined:
        break;
    }
}

}  // namespace

PluginOptions plugin_options_from_yaml(const YAML::Node& options) {
    PluginOptions out;
    if (options && !options.IsNull()) {
        YAML::Emitter emitter;
        emitter << options;
        out.yaml = emitter.c_str();
        flatten(options, "", out.pairs);
    }
    return out;
}

}  // namespace eventstore::server
