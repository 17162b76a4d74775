// memory_store.hpp: the memory backend's store. Every event lives in process memory: nothing
// survives the process.
//
// Positions are 1-based and gap-free (position p is log_[p - 1]); stream versions are 1-based
// (version v of a stream is its index entry v - 1). Every stream in the index holds at least one
// event. Events never move once stored, so reads can hand out pointers after the lock is gone.
//
// Thread safety: every method may be called from many threads at once. One shared_mutex guards
// the log and the indexes. append copies the request's bytes into one block first (no lock),
// then holds the mutex exclusively while it checks, numbers and links the batch; reads hold it shared only while they
// pick a page of event pointers (at most max_count, scanning at most max_scan positions).
#ifndef EVENTSTORE_PLUGINS_MEMORY_MEMORY_STORE_HPP
#define EVENTSTORE_PLUGINS_MEMORY_MEMORY_STORE_HPP

#include <cstdint>
#include <deque>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "eventstore/plugin.hpp"
#include "memory_options.hpp"
#include "sharded_map.hpp"
#include "stored_event.hpp"

namespace eventstore::memory {

// An AsyncStore (ABI 1.4) that decides every append at once, on the caller's thread: the host
// then answers the client from that thread, with no hand-off to another.
class MemoryStore final : public plugin::AsyncStore {
public:
    MemoryStore(const MemoryOptions& options, plugin::Host host);

    void append_async(const es_append_request& request, plugin::AppendDone done) override;
    Result<std::unique_ptr<plugin::Iterator>> read_stream(
        const es_read_stream_request& request) override;
    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request& request) override;

private:
    Status decide(const es_append_request& request, es_append_result& result);

    // Stream id -> its events, version order. Nodes never move, so events point at the keys.
    using Streams = ShardedMap<std::unordered_map<std::string, std::vector<const StoredEvent*>>>;

    // The methods below need mutex_: shared for the const ones, exclusive for commit.

    // An event id with its hash, computed once: a table that grows rehashes its entries from
    // this number instead of reading every id again from its (long cold) event block.
    struct IdKey {
        explicit IdKey(std::string_view id) : id(id), hash(std::hash<std::string_view>{}(id)) {}
        std::string_view id;
        size_t hash;
        bool operator==(const IdKey& other) const { return hash == other.hash && id == other.id; }
    };
    struct IdHash {
        size_t operator()(const IdKey& key) const { return key.hash; }
    };
    // Event id -> its event's global position. Open addressing (absl::flat_hash_map: one cache
    // miss per lookup in a table of millions, no allocation per id); entries move when a shard
    // grows, so a batch's claims are kept by key. The ids of a batch are claimed with the
    // positions it is about to take, under the lock, before it is linked.
    using Ids = ShardedMap<absl::flat_hash_map<IdKey, uint64_t, IdHash>>;
    using Claimed = std::vector<std::pair<Ids::Shard*, IdKey>>;

    // Claims every id of `batch` in ids_ (keys pointing into the batch's block, values the
    // positions from `first_position` on, which commit gives the batch): true when none was stored. Otherwise claims nothing and returns false. One hash
    // lookup per event on the usual path, where the ids are new.
    bool claim_ids(const std::vector<StoredEvent>& batch, uint64_t first_position, Claimed& claimed);
    // Gives claimed ids back (the append failed before commit).
    void release_ids(Claimed& claimed);
    // OK with true and `result` filled when every event_id of `request` is stored already as
    // consecutive events of its stream in the same order (an idempotent retry); OK with false
    // when none is stored; ALREADY_EXISTS otherwise.
    Result<bool> find_retry(const es_append_request& request, es_append_result& result) const;
    // RESOURCE_EXHAUSTED when `bytes` more would exceed options.max_bytes.
    Status check_capacity(uint64_t bytes) const;
    // Numbers `batch` after the stream's last event (the stream is at `current`) and the log's
    // head, links it everywhere, keeps its block and counts its `bytes`. All or nothing: should
    // memory run out midway, what was linked is unlinked, the ids released, and the exception
    // goes on.
    void commit(const std::string& stream_id, uint64_t current, std::vector<StoredEvent>& batch,
                Claimed& claimed, EventBlock& block, uint64_t bytes);

    const MemoryOptions options_;
    const plugin::Host host_;

    mutable std::shared_mutex mutex_;
    std::deque<StoredEvent> log_;  // a deque: elements stay put as it grows
    Streams streams_;
    std::vector<std::unique_ptr<uint8_t[]>> blocks_;  // every append's EventBlock memory
    Ids ids_;  // keys point into the events' blocks
    uint64_t bytes_ = 0;
    int64_t last_recorded_at_us_ = 0;  // recorded_at never goes back along positions
};

}  // namespace eventstore::memory

#endif
