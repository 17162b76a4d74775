#include "pending_appends.hpp"

#include <algorithm>
#include <string>

#include "eventstore/abi_struct.hpp"
#include "eventstore/deadline.hpp"
#include "eventstore/loader/plugin.hpp"
#include "plugin_status.hpp"

namespace eventstore::loader {

struct PendingAppends::Entry {
    Store* store = nullptr;
    AsyncAppend* append = nullptr;
    es_append_request sent{};
    es_append_result result = abi::make_struct<es_append_result>();
    es_error err = abi::make_struct<es_error>();
    std::optional<Clock::time_point> guard_at;
    bool answered = false;  // PendingAppends::mutex_

    // The last holder lets go once the backend is done with the memory above (or was forgotten)
    // and the answer, if any, was given.
    ~Entry() { append->release(); }
};

PendingAppends& PendingAppends::instance() {
    // Never destroyed: a backend may still call done while the process exits.
    static PendingAppends* registry = new PendingAppends();
    return *registry;
}

PendingAppends::PendingAppends() : guard_([this] { guard(); }) { guard_.detach(); }

PendingAppends::Slot PendingAppends::add(Store& store, AsyncAppend& append,
                                         const es_append_request& sent) {
    auto entry = std::make_shared<Entry>();
    entry->store = &store;
    entry->append = &append;
    entry->sent = sent;
    if (sent.timeout_us != 0) {
        entry->guard_at = Clock::now() + std::chrono::microseconds(sent.timeout_us) + kGrace;
    }
    Slot slot{nullptr, &entry->sent, &entry->result, &entry->err};
    std::lock_guard lock(mutex_);
    const uint64_t id = next_id_++;
    slot.done_context = reinterpret_cast<void*>(static_cast<uintptr_t>(id));
    if (entry->guard_at && *entry->guard_at < next_check_) {
        next_check_ = *entry->guard_at;
        wake_.notify_one();
    }
    entries_.emplace(id, std::move(entry));
    return slot;
}

template <class Outcome>
void PendingAppends::complete(uint64_t id, Outcome&& outcome) {
    std::shared_ptr<Entry> entry;
    bool answer = false;
    {
        std::lock_guard lock(mutex_);
        const auto found = entries_.find(id);
        if (found != entries_.end()) {
            entry = std::move(found->second);
            entries_.erase(found);
            answer = !entry->answered;
            entry->answered = true;
        }
    }
    if (!entry) {
        log_unknown(id);
        return;
    }
    if (!answer) {
        entry->store->log(ES_LOG_WARN,
                          "backend '" + entry->store->plugin().name() +
                              "' completed an append after the server had answered it INTERNAL "
                              "(outcome unknown) at its deadline; its outcome: " +
                              std::string(code_name(outcome(*entry).code())));
        return;
    }
    const Status status = outcome(*entry);
    entry->append->complete(status, entry->result);
}

void PendingAppends::done(void* done_context, es_status status) {
    instance().complete(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(done_context)),
                        [status](const Entry& entry) { return from_plugin(status, entry.err); });
}

void PendingAppends::finish(void* done_context, const Status& status,
                            const es_append_result& result) {
    complete(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(done_context)),
             [&](Entry& entry) {
                 entry.result = result;
                 return status;
             });
}

void PendingAppends::log_unknown(uint64_t id) {
    std::lock_guard lock(mutex_);
    for (Store* store : stores_) {
        store->log(ES_LOG_ERROR,
                   "backend '" + store->plugin().name() + "' called done for append " +
                       std::to_string(id) +
                       ", which is not pending (a second done, or a done_context it was never "
                       "given): ignored; this is a bug in the backend (plugin.h, \"Asynchronous "
                       "append\")");
    }
}

void PendingAppends::opened(Store& store) {
    std::lock_guard lock(mutex_);
    stores_.push_back(&store);
}

void PendingAppends::forget(Store& store) {
    std::vector<std::shared_ptr<Entry>> left;
    {
        std::lock_guard lock(mutex_);
        stores_.erase(std::remove(stores_.begin(), stores_.end(), &store), stores_.end());
        for (auto it = entries_.begin(); it != entries_.end();) {
            if (it->second->store != &store) {
                ++it;
                continue;
            }
            left.push_back(std::move(it->second));
            it = entries_.erase(it);
        }
    }
    for (const auto& entry : left) {
        store.log(ES_LOG_ERROR, "backend '" + store.plugin().name() +
                                    "' closed its store with an append it never completed "
                                    "(plugin.h: store_close calls done for every pending append)");
        if (entry->answered) continue;
        entry->answered = true;
        entry->append->complete(
            Status(Code::internal, "the backend closed without deciding this append; its outcome "
                                   "is unknown: read the stream to see whether it was written"),
            abi::make_struct<es_append_result>());
    }
}

void PendingAppends::guard() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (next_check_ == Clock::time_point::max()) {
            wake_.wait(lock);
        } else {
            wake_.wait_until(lock, next_check_);
        }
        const auto now = Clock::now();
        if (now < next_check_) continue;
        std::vector<std::shared_ptr<Entry>> late;
        next_check_ = Clock::time_point::max();
        for (auto& [id, entry] : entries_) {
            if (entry->answered || !entry->guard_at) continue;
            if (*entry->guard_at <= now) {
                entry->answered = true;
                late.push_back(entry);
            } else {
                next_check_ = std::min(next_check_, *entry->guard_at);
            }
        }
        lock.unlock();
        for (const auto& entry : late) {
            entry->store->log(ES_LOG_ERROR,
                              "backend '" + entry->store->plugin().name() +
                                  "' did not complete an append within its deadline and " +
                                  std::to_string(kGrace.count()) +
                                  " s: answered INTERNAL (outcome unknown); its memory is kept "
                                  "until it completes (plugin.h, \"Asynchronous append\")");
            // Not entry->result: the backend may still be writing it.
            entry->append->complete(
                Status(Code::internal,
                       "the backend did not decide this append within its deadline; its outcome "
                       "is unknown: read the stream to see whether it was written before retrying "
                       "with the same event ids"),
                abi::make_struct<es_append_result>());
        }
        late.clear();
        lock.lock();
    }
}

}  // namespace eventstore::loader
