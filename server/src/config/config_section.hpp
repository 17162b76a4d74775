// config_section.hpp: reading one mapping of the YAML config with errors that name the key and
// its line. Shared by the files that parse the config's sections (config.cpp, security_config.cpp,
// operations_config.cpp); the errors are thrown as ConfigError and turned into a Status by
// parse_config, so no exception leaves the config code.
#ifndef EVENTSTORE_SERVER_CONFIG_SECTION_HPP
#define EVENTSTORE_SERVER_CONFIG_SECTION_HPP

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace eventstore::server {

// A config error that already carries the source and line.
struct ConfigError {
    std::string message;
};

class Section {
public:
    // Fails when `node` is present but not a mapping, or holds a key outside `known`.
    Section(const YAML::Node& node, std::string path, std::set<std::string> known,
            const std::string& source);

    // The value under `key`, or an undefined node (`!node`) when the section or the key is absent.
    YAML::Node child(const std::string& key) const;
    std::string qualified(const std::string& key) const;
    [[noreturn]] void fail(const YAML::Node& at, const std::string& what) const;

    std::string text(const std::string& key, std::string fallback) const;
    uint64_t number(const std::string& key, uint64_t fallback, uint64_t min, uint64_t max) const;
    bool flag(const std::string& key, bool fallback) const;
    std::string choice(const std::string& key, std::string fallback,
                       const std::set<std::string>& allowed) const;
    // A list of strings; absent: `fallback`.
    std::vector<std::string> texts(const std::string& key, std::vector<std::string> fallback) const;
    // A file path; relative paths are taken from `base_dir`. Absent: empty.
    std::filesystem::path file(const std::string& key, const std::filesystem::path& base_dir) const;

    const std::string& source() const { return source_; }

private:
    YAML::Node node_;
    std::string path_;
    const std::string& source_;
};

}  // namespace eventstore::server

#endif
