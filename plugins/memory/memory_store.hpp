// memory_store.hpp: the memory backend's store. Every event lives in process memory: nothing
// survives the process.
//
// Positions are 1-based (position p is log_[p - 1]); stream versions are 1-based. Events never
// move once stored. The stream lifecycle (plugin.h "Stream lifecycle") removes events at once,
// under the exclusive lock: a removed event's log entry stays as a gap (its position is never
// given again), its id leaves the id index, its stream's entry drops it, and its append's block
// is freed (zeroed first) at once, unless a read still holds it: when the last of the block's
// events is removed, or, when a removal leaves some of an append's events, by copying those into a
// block of their own. Retention by count removes on the append that passes the limit; retention by
// age hides old events from reads at once and removes them when their stream is next appended
// to or changed, or by a sweep every kSweepInterval (docs/configuration.md, "Stream lifecycle in
// the memory backend").
//
// Thread safety: every method may be called from many threads at once. One shared_mutex guards
// the log and the indexes. append copies the request's bytes into one block first (no lock),
// then holds the mutex exclusively while it checks, numbers and links the batch; reads hold it
// shared only while they pick a page (at most max_count events, scanning at most max_scan
// positions): copies of the records and shares of their blocks.
#ifndef EVENTSTORE_PLUGINS_MEMORY_MEMORY_STORE_HPP
#define EVENTSTORE_PLUGINS_MEMORY_MEMORY_STORE_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
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
    // How often the sweep removes the events that retention by age has expired.
    static constexpr std::chrono::seconds kSweepInterval{1};

    MemoryStore(const MemoryOptions& options, plugin::Host host);
    ~MemoryStore() override;

    void append_async(const es_append_request& request, plugin::AppendDone done) override;
    Result<std::unique_ptr<plugin::Iterator>> read_stream(
        const es_read_stream_request& request) override;
    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request& request) override;
    Status change_stream(const es_stream_change_request& request, es_stream_state& state) override;
    Status stream_state(const es_stream_state_request& request, es_stream_state& state) override;
    void close() override;

private:
    Status decide(const es_append_request& request, es_append_result& result);

    // One stream: its state (plugin.h "Stream lifecycle") and its stored events, version order:
    // versions state.last_version - events.size() + 1 to state.last_version. A stream stays in
    // the index once created (its state outlives its events); one with no event ever exists only
    // after a TOMBSTONE or SET_RETENTION (or an append of no events, which validation refuses).
    struct Stream {
        es_stream_state state = abi::make_struct<es_stream_state>();
        std::vector<StoredEvent*> events;
        std::string owner;  // the tenant_id of version 1, once there was one

        uint64_t first_stored() const { return state.last_version - events.size() + 1; }
    };
    // Stream id -> its stream. Nodes never move, so events point at the keys.
    using Streams = ShardedMap<std::unordered_map<std::string, Stream>>;

    // An append's block, shared with the reads of its events, and how many of them are not
    // removed: the store lets go of the block with the last one.
    struct Block {
        std::shared_ptr<const uint8_t> memory;
        size_t live = 0;
    };

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
    void commit(const std::string& stream_id, std::vector<StoredEvent>& batch, Claimed& claimed,
                EventBlock& block, uint64_t bytes);

    // Whether `request` (append, read or change) names an owner other than the stream's.
    template <class Request>
    static bool owned_by_another(const Request& request, const Stream& stream);
    // The lowest version of `stream` readable at `now_us` (last_version + 1 when none is).
    static uint64_t first_readable(const Stream& stream, int64_t now_us);
    // Whether read_all may return `event` at `now_us`: not removed, and kept by its stream's
    // retention by age.
    bool readable(const StoredEvent& event, int64_t now_us) const;
    // Removes the stored events of `stream` below `version`.
    void remove_below(Stream& stream, uint64_t version);
    // Copies the first stored events of `stream` that share their block with removed events into
    // a block of their own (in the old one's slot), so that the old block goes now.
    void split_block(Stream& stream);
    // Removes what the stream's retention (count and age) no longer keeps at `now_us`.
    void apply_retention(Stream& stream, int64_t now_us);
    // The stream of `stream_id` after a change: the stream, created when `create`.
    Stream* find_stream(const std::string& stream_id, bool create);
    // The sweep's thread: every kSweepInterval, applies the retention of every stream with a
    // max_age_us, until close().
    void sweep_until_closed();
    void stop_sweeping();

    const MemoryOptions options_;
    const plugin::Host host_;

    mutable std::shared_mutex mutex_;
    std::deque<StoredEvent> log_;  // a deque: elements stay put as it grows
    Streams streams_;
    std::vector<Block> blocks_;  // every append's EventBlock memory, by StoredEvent::block()
    Ids ids_;  // keys point into the events' blocks
    uint64_t bytes_ = 0;  // the bytes of the events not removed
    int64_t last_recorded_at_us_ = 0;  // recorded_at never goes back along positions
    std::unordered_set<Stream*> aged_;  // the streams with a max_age_us
    std::thread sweeper_;               // started with the first max_age_us

    std::mutex sweep_mutex_;  // guards closing_ (and is the sweep's wait)
    std::condition_variable sweep_wake_;
    bool closing_ = false;
};

}  // namespace eventstore::memory

#endif
