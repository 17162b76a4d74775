// pending_appends.hpp: the appends a store is deciding asynchronously (plugin.h, "Asynchronous
// append"), from Store::append_async until the backend's done. The host survives a backend that
// breaks the rules:
//   - done_context is a number from this registry, never an address, so a second done, or a done
//     with a number it never gave, finds nothing: logged and ignored, never a crash;
//   - an append without done by its deadline plus kGrace is answered INTERNAL ("outcome unknown")
//     by a guard thread, and its memory (the request, result and error the backend may still
//     write) is kept until the done comes, or until forget() after store_close.
// One registry per process (instance()): the numbers are unique across stores.
//
// Thread safety: everything from any thread. AsyncAppend::complete runs outside the lock.
#ifndef EVENTSTORE_LOADER_PENDING_APPENDS_HPP
#define EVENTSTORE_LOADER_PENDING_APPENDS_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "eventstore/loader/store.hpp"

namespace eventstore::loader {

class PendingAppends {
public:
    // How long after its deadline an append without done is answered by the host.
    static constexpr std::chrono::seconds kGrace{1};

    static PendingAppends& instance();

    // What the backend receives for one append: valid until its done.
    struct Slot {
        void* done_context;
        es_append_request* request;  // the caller's request as the backend's minor knows it
        es_append_result* result;
        es_error* err;
    };
    // Registers `append` (whose request `sent` is, cut to the backend's minor) for `store`.
    Slot add(Store& store, AsyncAppend& append, const es_append_request& sent);

    // plugin.h's es_append_done_fn: the backend decided the append of `done_context`.
    static void done(void* done_context, es_status status);
    // A completion made on the backend's behalf (Store's threads for a blocking backend).
    void finish(void* done_context, const Status& status, const es_append_result& result);

    // A store's life: log lines about a done nobody awaits go to the stores open; forget() runs
    // after store_close, answering and letting go of every append the backend never completed.
    void opened(Store& store);
    void forget(Store& store);

private:
    struct Entry;
    using Clock = std::chrono::steady_clock;

    PendingAppends();
    // Decides the append of `id` once: `outcome` makes its status and result.
    template <class Outcome>
    void complete(uint64_t id, Outcome&& outcome);
    void log_unknown(uint64_t id);
    void guard();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::unordered_map<uint64_t, std::shared_ptr<Entry>> entries_;  // mutex_
    std::vector<Store*> stores_;                                     // mutex_
    uint64_t next_id_ = 1;                                           // mutex_
    Clock::time_point next_check_ = Clock::time_point::max();        // mutex_
    std::thread guard_;
};

}  // namespace eventstore::loader

#endif
