// eventstore/loader/store.hpp: an open backend store and its read iterators, as C++ objects over
// the plugin's C table. A Store is used by many threads at once (the ABI's contract); an Iterator
// by one thread at a time. Destroying them calls the plugin's close/destroy functions.
#ifndef EVENTSTORE_LOADER_STORE_HPP
#define EVENTSTORE_LOADER_STORE_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::loader {

class Plugin;
class BlockingAppends;

// What a store is opened with. `limits` fields left 0 take the ABI's defaults.
struct OpenOptions {
    std::string options_yaml;                                  // the YAML text of `options`
    std::vector<std::pair<std::string, std::string>> options;  // the same, flattened
    es_limits limits{};
};

// Receives what a backend reports while its store is open. Called from any thread; must return
// quickly and never call back into the store.
class StoreHooks {
public:
    virtual ~StoreHooks() = default;
    virtual void log(es_log_level level, std::string_view message) = 0;
    virtual void committed(uint64_t position) = 0;
};

// An append handed to Store::append_async, owned by the caller. The loader calls complete()
// exactly once, from any thread (possibly inside append_async); on FAILED_PRECONDITION
// `result.actual_version` holds the stream's current version. It calls release() once the backend
// no longer uses the request: abi_request() and everything it points at stay valid until then, which
// may be after complete() (an append the backend did not decide by its deadline is answered
// INTERNAL first; its memory is kept until the backend is done with it).
class AsyncAppend {
public:
    virtual const es_append_request& abi_request() const = 0;
    virtual void complete(const Status& status, const es_append_result& result) = 0;
    virtual void release() = 0;

protected:
    ~AsyncAppend() = default;
};

// A read in progress. One thread at a time.
class Iterator {
public:
    Iterator(std::shared_ptr<const Plugin> plugin, es_iterator* handle)
        : plugin_(std::move(plugin)), handle_(handle) {}
    ~Iterator();
    Iterator(const Iterator&) = delete;
    Iterator& operator=(const Iterator&) = delete;

    // Fills `event` (valid until the next call) and returns true, or returns false at the end.
    Result<bool> next(es_recorded_event& event);
    // The paging summary, once next has returned false.
    Result<es_page_info> page();

private:
    std::shared_ptr<const Plugin> plugin_;
    es_iterator* handle_;
};

class Store {
public:
    Store(std::shared_ptr<const Plugin> plugin, std::shared_ptr<StoreHooks> hooks);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Called once by Plugin::open; fails with the plugin's message.
    Status open(const OpenOptions& options);

    // Requests carry their deadline in timeout_us (plugin.h, "Deadlines"); a plugin of a minor
    // before 1.2 gets them without it. An append or read_stream with owner_tenant set (plugin.h,
    // "Stream owners") is checked by the plugin from ABI 1.3 on, and by the loader around the
    // plugin's calls for older ones, at one more read per call (src/owner_fallback.hpp).
    // On FAILED_PRECONDITION `result.actual_version` holds the stream's current version.
    Status append(const es_append_request& request, es_append_result& result);
    // The same append, decided later without blocking the caller: through the backend's own
    // append_async (ABI 1.4), or, for a backend without one, its append on the loader's threads
    // (src/blocking_appends.hpp). The rules around a backend that completes twice, never or late
    // are in src/pending_appends.hpp.
    void append_async(AsyncAppend& append);
    Result<std::unique_ptr<Iterator>> read_stream(const es_read_stream_request& request);
    Result<std::unique_ptr<Iterator>> read_all(const es_read_all_request& request);
    // Stream lifecycle (plugin.h, "Stream lifecycle"): UNIMPLEMENTED, naming the backend and its
    // ABI, for a backend without it (Plugin::has_stream_lifecycle). `state` is written on OK and,
    // for change_stream, on FAILED_PRECONDITION.
    Status change_stream(const es_stream_change_request& request, es_stream_state& state);
    Status stream_state(const es_stream_state_request& request, es_stream_state& state);
    // Whether the backend can serve now (ABI 1.1 store_health); a plugin of ABI 1.0, or one
    // without the function, is ready while open.
    Status check_health();

    const Plugin& plugin() const { return *plugin_; }
    // A line into the log of whoever opened the store (its StoreHooks).
    void log(es_log_level level, std::string_view message) const { hooks_->log(level, message); }

private:
    // Calls one of the plugin's read functions and wraps the iterator it opens.
    template <class Request, class OpenFunction>
    Result<std::unique_ptr<Iterator>> open_iterator(OpenFunction open, const Request& request);

    std::shared_ptr<const Plugin> plugin_;
    std::shared_ptr<StoreHooks> hooks_;
    es_host_callbacks callbacks_{};
    es_store* handle_ = nullptr;
    std::unique_ptr<BlockingAppends> blocking_appends_;  // for a backend without append_async
};

}  // namespace eventstore::loader

#endif
