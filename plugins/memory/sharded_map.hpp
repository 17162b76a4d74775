// sharded_map.hpp: a hash map split into shards by the key's hash. Each shard is a
// std::unordered_map and rehashes on its own as it grows, so the pause of a rehash (every node of
// the table touched, under the store's exclusive lock) is that of one shard: with millions of
// keys, a few milliseconds instead of a stop-the-world second (docs/benchmarks.md, "Profiles").
//
// Thread safety: none of its own; the store's mutex guards it like any standard container.
#ifndef EVENTSTORE_PLUGINS_MEMORY_SHARDED_MAP_HPP
#define EVENTSTORE_PLUGINS_MEMORY_SHARDED_MAP_HPP

#include <array>
#include <cstddef>
#include <functional>
#include <unordered_map>

namespace eventstore::memory {

template <typename Key, typename Value>
class ShardedMap {
public:
    using Shard = std::unordered_map<Key, Value>;
    static constexpr size_t kShards = 256;

    // The shard that holds `key`, if anything does: every lookup, insertion and erasure of `key`
    // goes through it.
    Shard& shard_of(const Key& key) { return shards_[index_of(key)]; }
    const Shard& shard_of(const Key& key) const { return shards_[index_of(key)]; }

private:
    // The hash's high bits: the shard's own buckets take the low ones (hash % bucket count).
    static size_t index_of(const Key& key) {
        return (std::hash<Key>{}(key) >> (8 * sizeof(size_t) - 8)) % kShards;
    }

    std::array<Shard, kShards> shards_;
};

}  // namespace eventstore::memory

#endif
