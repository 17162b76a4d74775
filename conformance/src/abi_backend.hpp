// abi_backend.hpp: the checks' Backend over a plugin's C ABI, through the same loader the server
// uses (loader::Plugin::open, loader::Store, loader::Iterator). The suite plays the host here: it
// builds the ABI request structs, clamps page sizes as plugin.h says the host does, and records
// the store's commit notifications.
#ifndef EVENTSTORE_CONFORMANCE_ABI_BACKEND_HPP
#define EVENTSTORE_CONFORMANCE_ABI_BACKEND_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "backend.hpp"
#include "eventstore/append_builder.hpp"
#include "eventstore/loader/plugin.hpp"
#include "eventstore/loader/store.hpp"
#include "eventstore/plugin.h"

namespace eventstore::conformance {

// An append as an ABI request. Copies the stream id (checks pass temporaries such as
// stream("s")) and borrows every byte of the events: keep them alive and unchanged while the
// request is used. Every empty field is sent as {NULL, 0}, as in every request of the suite. The result may be edited, for checks that send what no client
// library would (an unknown expected kind, a smaller struct).
abi::AppendBuilder abi_append(const std::string& stream_id, Expected expected,
                              const std::vector<EventData>& events);

// The host's side of one store: plugin log lines (warnings and errors go to stderr) and every
// commit notification, in arrival order. Called from any thread.
class RecordingHooks final : public loader::StoreHooks {
public:
    void log(es_log_level level, std::string_view message) override;
    void committed(uint64_t position) override;

    // Waits until an announced position is >= `position`; false if `timeout` passes first.
    bool wait_for(uint64_t position, std::chrono::milliseconds timeout);
    // The announcements received since the previous call.
    std::vector<uint64_t> take_announcements();
    size_t count() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    uint64_t highest_ = 0;
    size_t count_ = 0;
    std::vector<uint64_t> pending_;
};

// A stream change as an ABI request; borrows `stream_id`.
es_stream_change_request abi_change(const std::string& stream_id, const StreamChange& change);
// The checks' copy of an es_stream_state.
StreamState state_of(const es_stream_state& state);

// Copies one event out of a plugin's memory.
RecordedEvent copy_event(const es_recorded_event& event);

// Calls next() until the end, copying every event; the first failure stops it.
Result<std::vector<RecordedEvent>> drain(loader::Iterator& iterator);

class AbiBackend final : public Backend {
public:
    // Opens a fresh store of `plugin` with `options` (limits left 0 take the ABI's defaults).
    static Result<std::unique_ptr<AbiBackend>> open(const std::shared_ptr<loader::Plugin>& plugin,
                                                    const loader::OpenOptions& options);

    AppendOutcome append(const std::string& stream_id, Expected expected,
                         const std::vector<EventData>& events) override;
    StreamPage read_stream(const std::string& stream_id, uint64_t from_version, uint32_t max_count,
                           bool forward) override;
    AllPage read_all(uint64_t after_position, uint32_t max_count,
                     const std::string& stream_prefix) override;
    StateOutcome change_stream(const std::string& stream_id, const StreamChange& change) override;
    StateOutcome stream_state(const std::string& stream_id) override;

    // The raw append (the plugin's blocking append), for requests built by hand. On
    // FAILED_PRECONDITION result.actual_version. append() goes through the store's asynchronous
    // path instead (append_async when the plugin has it), so a run certifies both.
    Status append_raw(const es_append_request& request, es_append_result& result);
    loader::Store& store() { return *store_; }
    RecordingHooks& hooks() { return *hooks_; }
    const loader::Plugin& plugin() const { return *plugin_; }
    // Closes the store now (store_close); any method but hooks() is invalid afterwards.
    void close() { store_.reset(); }

private:
    AbiBackend(std::shared_ptr<loader::Plugin> plugin, std::shared_ptr<RecordingHooks> hooks,
               std::unique_ptr<loader::Store> store, const es_limits& limits);

    std::shared_ptr<loader::Plugin> plugin_;
    std::shared_ptr<RecordingHooks> hooks_;
    std::unique_ptr<loader::Store> store_;
    es_limits limits_;  // defaults filled in: the host clamps page sizes with them
};

}  // namespace eventstore::conformance

#endif
