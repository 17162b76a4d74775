// eventstore/loader/plugin.hpp: finds, opens and negotiates with a backend plugin, and wraps its
// C table in C++ objects. Used by the server and by the conformance suite, so both test the same
// path. Every failure is a Status whose message names the file and, for version trouble, both
// versions; nothing here throws.
#ifndef EVENTSTORE_LOADER_PLUGIN_HPP
#define EVENTSTORE_LOADER_PLUGIN_HPP

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "eventstore/loader/store.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::loader {

// The ABI this host speaks: major ES_PLUGIN_ABI_MAJOR, minors 0..ES_PLUGIN_ABI_MINOR.
inline constexpr uint32_t kHostAbiMajor = ES_PLUGIN_ABI_MAJOR;
inline constexpr uint32_t kHostAbiMinMinor = 0;
inline constexpr uint32_t kHostAbiMaxMinor = ES_PLUGIN_ABI_MINOR;

// Where `plugin` (a short name such as "memory", or a path) resolves to: a name is looked up as
// <dir>/<name>.so in each of `dirs`, in order; anything with a '/' or ending in ".so" is a path.
Result<std::filesystem::path> resolve_plugin(const std::string& plugin,
                                             const std::vector<std::filesystem::path>& dirs);

// A loaded, negotiated plugin library. Shared: every Store and Iterator it creates holds a
// reference, so the library stays mapped while anything it made is alive. Thread-safe.
class Plugin : public std::enable_shared_from_this<Plugin> {
public:
    // Loads `path` (RTLD_NOW | RTLD_LOCAL), calls its entry with this host's offer and checks the
    // answer: major, minor range, table size, required functions, a non-empty name.
    static Result<std::shared_ptr<Plugin>> load(const std::filesystem::path& path,
                                                const std::string& host_version);

    // Opens a store of this backend. `hooks` receive its log lines and commit notifications.
    Result<std::unique_ptr<Store>> open(const OpenOptions& options, std::shared_ptr<StoreHooks> hooks);

    const std::string& name() const { return name_; }
    const std::string& version() const { return version_; }
    const std::filesystem::path& path() const { return path_; }
    uint32_t abi_major() const { return api_.abi_major; }
    uint32_t abi_minor() const { return api_.abi_minor; }
    uint64_t capabilities() const { return api_.capabilities; }
    // Whether the backend has the stream lifecycle of ABI 1.5 (the load checked that the
    // capability and the two functions agree).
    bool has_stream_lifecycle() const { return (api_.capabilities & ES_CAP_STREAM_LIFECYCLE) != 0; }
    const es_plugin_api& api() const { return api_; }

private:
    Plugin() = default;

    boost::dll::shared_library library_;
    es_plugin_api api_{};
    std::filesystem::path path_;
    std::string name_;
    std::string version_;
};

}  // namespace eventstore::loader

#endif
