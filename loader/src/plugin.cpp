#include "eventstore/loader/plugin.hpp"

#include <dlfcn.h>

#include <cstddef>
#include <exception>
#include <fstream>
#include <system_error>

#include "eventstore/abi_struct.hpp"

namespace eventstore::loader {
namespace {

std::string version_text(uint32_t major, uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

std::string host_abi_range() {
    return version_text(kHostAbiMajor, kHostAbiMinMinor) + " to " +
           version_text(kHostAbiMajor, kHostAbiMaxMinor);
}

// True when the file starts with the ELF magic, so "not a plugin" can say why.
bool looks_like_elf(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' &&
           magic[3] == 'F';
}

Status refuse(const std::filesystem::path& path, const std::string& why) {
    return Status(Code::failed_precondition, "cannot use plugin " + path.string() + ": " + why);
}

// Every function an ABI 1.0 table must carry.
std::string missing_function(const es_plugin_api& api) {
    if (api.store_open == nullptr) return "store_open";
    if (api.store_close == nullptr) return "store_close";
    if (api.append == nullptr) return "append";
    if (api.read_stream == nullptr) return "read_stream";
    if (api.read_all == nullptr) return "read_all";
    if (api.iterator_next == nullptr) return "iterator_next";
    if (api.iterator_page == nullptr) return "iterator_page";
    if (api.iterator_destroy == nullptr) return "iterator_destroy";
    return {};
}

}  // namespace

Result<std::filesystem::path> resolve_plugin(const std::string& plugin,
                                             const std::vector<std::filesystem::path>& dirs) {
    if (plugin.empty()) return Status(Code::invalid_argument, "backend.plugin is empty");
    const bool is_path = plugin.find('/') != std::string::npos ||
                         std::filesystem::path(plugin).extension() == ".so";
    std::error_code ec;
    if (is_path) {
        if (!std::filesystem::exists(plugin, ec)) {
            return Status(Code::not_found, "plugin file " + plugin + " does not exist");
        }
        if (!std::filesystem::is_regular_file(plugin, ec)) {
            return Status(Code::invalid_argument, "plugin " + plugin + " is not a file");
        }
        return std::filesystem::path(plugin);
    }
    std::string searched;
    for (const auto& dir : dirs) {
        const auto candidate = dir / (plugin + ".so");
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
        searched += (searched.empty() ? "" : ", ") + candidate.string();
    }
    return Status(Code::not_found,
                  "plugin '" + plugin + "' not found; searched: " +
                      (searched.empty() ? std::string("no plugin_dirs configured") : searched));
}

Result<std::shared_ptr<Plugin>> Plugin::load(const std::filesystem::path& path,
                                             const std::string& host_version) {
    std::shared_ptr<Plugin> plugin(new Plugin());
    plugin->path_ = path;
    boost::dll::fs::error_code ec;
    plugin->library_.load(path.string(),
                          boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
    if (ec) {
        if (!looks_like_elf(path)) return refuse(path, "it is not an ELF shared object");
        // Boost reports errno; the dynamic loader's own text says which symbol or library failed.
        const char* why = dlerror();
        return refuse(path, "it cannot be loaded as a shared object: " +
                                (why != nullptr ? std::string(why) : ec.message()));
    }
    if (!plugin->library_.has(ES_PLUGIN_ENTRY_SYMBOL)) {
        return refuse(path, "it is not an eventstore plugin: it does not export " +
                                std::string(ES_PLUGIN_ENTRY_SYMBOL));
    }
    using EntryFunction = std::remove_pointer_t<es_plugin_entry_fn>;
    auto& entry = plugin->library_.get<EntryFunction>(ES_PLUGIN_ENTRY_SYMBOL);

    es_host_offer offer = abi::make_struct<es_host_offer>();
    offer.abi_major = kHostAbiMajor;
    offer.abi_min_minor = kHostAbiMinMinor;
    offer.abi_max_minor = kHostAbiMaxMinor;
    offer.host_version = host_version.c_str();
    const es_plugin_api* table = nullptr;
    es_error err = abi::make_struct<es_error>();
    const es_status status = entry(&offer, &table, &err);
    if (status != ES_OK) {
        return refuse(path, "its entry failed (" + std::string(code_name(Code(status))) +
                                "): " + abi::read_error(err));
    }
    if (table == nullptr) return refuse(path, "its entry returned no table");
    if (table->struct_size < offsetof(es_plugin_api, capabilities)) {
        return refuse(path, "its table is " + std::to_string(table->struct_size) +
                                " bytes, smaller than the frozen prefix every ABI version has");
    }
    // The frozen prefix can be read whatever the major.
    const std::string shown_name = table->name != nullptr ? table->name : "";
    if (table->abi_major != kHostAbiMajor) {
        const std::string advice = table->abi_major > kHostAbiMajor
                                       ? "upgrade eventstored, or use a build of the plugin for ABI " +
                                             std::to_string(kHostAbiMajor)
                                       : "rebuild the plugin against this server's eventstore/plugin.h";
        return refuse(path, "plugin '" + shown_name + "' implements ABI " +
                                version_text(table->abi_major, table->abi_minor) +
                                ", but this eventstored speaks ABI " + host_abi_range() + "; " +
                                advice);
    }
    if (table->abi_minor > kHostAbiMaxMinor) {
        return refuse(path, "plugin '" + shown_name + "' needs ABI " +
                                version_text(table->abi_major, table->abi_minor) +
                                ", but this eventstored knows ABI " + host_abi_range() +
                                " only; upgrade eventstored");
    }
    auto api = abi::read_struct(table, "its es_plugin_api table");
    if (!api.ok()) return refuse(path, api.status().message());
    if (shown_name.empty()) return refuse(path, "it reports an empty name");
    if (const std::string missing = missing_function(api.value()); !missing.empty()) {
        return refuse(path, "its table lacks the required function " + missing);
    }
    const bool names_lifecycle = (api.value().capabilities & ES_CAP_STREAM_LIFECYCLE) != 0;
    const bool has_lifecycle =
        api.value().change_stream != nullptr && api.value().stream_state != nullptr;
    if (names_lifecycle != has_lifecycle) {
        return refuse(path, names_lifecycle
                                ? "its capabilities name ES_CAP_STREAM_LIFECYCLE, but its table lacks "
                                  "change_stream or stream_state (ABI 1.5)"
                                : "its table has change_stream or stream_state, but its capabilities "
                                  "do not name ES_CAP_STREAM_LIFECYCLE (set both, or neither)");
    }
    plugin->api_ = api.value();
    plugin->name_ = shown_name;
    plugin->version_ = table->version != nullptr ? table->version : "";
    return plugin;
}

Result<std::unique_ptr<Store>> Plugin::open(const OpenOptions& options,
                                            std::shared_ptr<StoreHooks> hooks) {
    auto store = std::make_unique<Store>(shared_from_this(), std::move(hooks));
    if (Status status = store->open(options); !status.ok()) return status;
    return store;
}

}  // namespace eventstore::loader
