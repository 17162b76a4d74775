#include "config/backend_config.hpp"

namespace eventstore::server {

BackendConfig parse_backend(const Section& root, const std::filesystem::path& base_dir) {
    const Section section(root.child("backend"), "backend",
                          {"plugin", "plugin_dirs", "options", "timeout_ms"}, root.source());
    BackendConfig config;
    config.plugin = section.text("plugin", config.plugin);
    if (config.plugin.empty()) section.fail(section.child("plugin"), "backend.plugin must not be empty");
    if (const YAML::Node dirs = section.child("plugin_dirs")) {
        if (!dirs.IsSequence()) section.fail(dirs, "backend.plugin_dirs must be a list of folders");
        for (const auto& dir : dirs) {
            if (!dir.IsScalar()) section.fail(dir, "backend.plugin_dirs items must be folder paths");
            const std::filesystem::path path(dir.Scalar());
            config.plugin_dirs.push_back((path.is_absolute() ? path : base_dir / path).lexically_normal());
        }
    }
    config.plugin_dirs.emplace_back(EVENTSTORE_PLUGIN_INSTALL_DIR);
    config.timeout = std::chrono::milliseconds(
        section.number("timeout_ms", config.timeout.count(), 1, 3600000));
    const YAML::Node options = section.child("options");
    if (options && !options.IsNull() && !options.IsMap()) {
        section.fail(options, "backend.options must be a mapping");
    }
    config.options = plugin_options_from_yaml(options);
    return config;
}

}  // namespace eventstore::server
