// sharded_map.hpp: a hash map split into shards by the key's hash. Each shard is a `Map` (a
// std::unordered_map where nodes must stay put, an absl::flat_hash_map where they need not) and
// rehashes on its own as it grows, so the pause of a rehash (every entry of the table touched,
// under the store's exclusive lock) is that of one shard: with millions of keys, a few
// milliseconds instead of a stop-the-world second (docs/benchmarks.md, "Profiles").
//
// Thread safety: none of its own; the store's mutex guards it like any standard container.
#ifndef EVENTSTORE_PLUGINS_MEMORY_SHARDED_MAP_HPP
#define EVENTSTORE_PLUGINS_MEMORY_SHARDED_MAP_HPP

#include <array>
#include <cstddef>
#include <functional>

namespace eventstore::memory {

template <typename Map>
class ShardedMap {
public:
    using Shard = Map;
    using Key = typename Map::key_type;
    static constexpr size_t kShards = 256;

    // The shard that holds `key`, if anything does: every lookup, insertion and erasure of `key`
    // goes through it.
    Shard& shard_of(const Key& key) { return shards_[index_of(key)]; }
    const Shard& shard_of(const Key& key) const { return shards_[index_of(key)]; }

private:
    // The high bits of the shard's own hash function: its table takes its buckets from the low
    // ones (std::unordered_map: hash % bucket count; absl::flat_hash_map: bits 7 and up).
    static size_t index_of(const Key& key) {
        return (typename Map::hasher{}(key) >> (8 * sizeof(size_t) - 8)) % kShards;
    }

    std::array<Shard, kShards> shards_;
};

}  // namespace eventstore::memory

#endif
