#include "memory_store.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <utility>

#include "eventstore/append_rules.hpp"
#include "eventstore/page_rules.hpp"
#include "eventstore/validation.hpp"
#include "page_iterator.hpp"

namespace eventstore::memory {

namespace {

int64_t now_us() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

bool has_prefix(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

Result<std::unique_ptr<plugin::Iterator>> iterate(Page events, const es_page_info& page) {
    return std::make_unique<PageIterator>(std::move(events), page);
}

}  // namespace

MemoryStore::MemoryStore(const MemoryOptions& options, plugin::Host host)
    : options_(options), host_(std::move(host)) {}

MemoryStore::~MemoryStore() { stop_sweeping(); }

void MemoryStore::close() { stop_sweeping(); }

// plugin.h "Stream owners": the owner is the tenant of version 1, and outlives the events. A
// stream with no event ever (tombstoned or with retention set first) has no owner yet.
template <class Request>
bool MemoryStore::owned_by_another(const Request& request, const Stream& stream) {
    return stream.state.last_version != 0 && plugin::owned_by_another(request, stream.owner);
}

void MemoryStore::append_async(const es_append_request& request, plugin::AppendDone done) {
    es_append_result result = abi::make_struct<es_append_result>();
    const Status status = decide(request, result);
    done(status, result);
}

Status MemoryStore::decide(const es_append_request& request, es_append_result& result) {
    // The bytes are copied before locking, so the exclusive section copies nothing in bulk.
    EventBlock block(request);
    std::vector<StoredEvent> batch;
    batch.reserve(request.event_count);
    uint64_t batch_bytes = 0;
    for (size_t i = 0; i < request.event_count; ++i) {
        batch.emplace_back(*request.events[i], block);
        batch_bytes += validation::event_size(*request.events[i]) + request.stream_id.len;
    }
    const std::string stream_id(abi::view(request.stream_id));
    uint64_t head;
    {
        std::unique_lock lock(mutex_);
        const auto& streams = streams_.shard_of(stream_id);
        const auto stream = streams.find(stream_id);
        // Before anything that would tell more about another owner's stream (plugin.h).
        if (stream != streams.end() && owned_by_another(request, stream->second)) {
            return plugin::not_the_owner(stream_id);
        }
        if (stream != streams.end() && stream->second.state.tombstoned) {
            result.tombstoned = true;
            result.actual_version = stream->second.state.last_version;
            return plugin::stream_tombstoned(stream_id);
        }
        Claimed claimed;
        if (!claim_ids(batch, log_.size() + 1, claimed)) {
            // Some id is stored already: an idempotent retry, or a reused id.
            const Result<bool> retry = find_retry(request, result);
            if (!retry.ok()) return retry.status();
            if (retry.value()) return {};
            // Unreachable: a stored id makes a retry or an error, and ids inside one request
            // are distinct (validated before the store sees them).
            return Status(Code::internal, "an event id is both stored and not stored");
        }
        // plugin.h "Stream lifecycle": expected versions meet last_version, removed events or not.
        const uint64_t current = stream == streams.end() ? 0 : stream->second.state.last_version;
        if (!plugin::expected_matches(request, current)) {
            release_ids(claimed);
            return plugin::wrong_expected_version(request, current, result);
        }
        if (Status s = check_capacity(batch_bytes); !s.ok()) {
            release_ids(claimed);
            return s;
        }
        commit(stream_id, batch, claimed, block, batch_bytes);
        head = log_.size();
        result.current_version = current + request.event_count;
        result.first_global_position = head - request.event_count + 1;
        result.last_global_position = head;
    }
    // Positions are numbered and made visible under the lock, so every position <= head is
    // committed. The notification goes out after the lock is released, so two appends may
    // notify the host in the reverse order; that is allowed, the host keeps the highest position.
    host_.notify_committed(head);
    return {};
}

bool MemoryStore::claim_ids(const std::vector<StoredEvent>& batch, uint64_t first_position,
                            Claimed& claimed) {
    // Every id's table slot is fetched before the first insertion, so that the cache misses of a
    // large index overlap instead of following one another.
    claimed.reserve(batch.size());
    for (const StoredEvent& event : batch) {
        const IdKey key(event.event_id());
        Ids::Shard& ids = ids_.shard_of(key);
        ids.prefetch(key);
        claimed.emplace_back(&ids, key);
    }
    uint64_t position = first_position;
    for (size_t i = 0; i < claimed.size(); ++i) {
        if (!claimed[i].first->try_emplace(claimed[i].second, position++).second) {
            claimed.erase(claimed.begin() + static_cast<std::ptrdiff_t>(i), claimed.end());
            release_ids(claimed);
            return false;
        }
    }
    return true;
}

void MemoryStore::release_ids(Claimed& claimed) {
    for (const auto& [ids, id] : claimed) ids->erase(id);
    claimed.clear();
}

Result<bool> MemoryStore::find_retry(const es_append_request& request,
                                     es_append_result& result) const {
    std::vector<plugin::StoredId> stored;
    for (size_t i = 0; i < request.event_count; ++i) {
        const IdKey id(abi::view(request.events[i]->event_id));
        const auto& ids = ids_.shard_of(id);
        const auto found = ids.find(id);
        if (found == ids.end()) continue;
        const StoredEvent& event = log_[found->second - 1];
        stored.push_back({std::string(event.event_id()), std::string(event.stream_id()),
                          event.stream_version(), event.global_position()});
    }
    return plugin::judge_retry(request, stored, result);
}

Status MemoryStore::check_capacity(uint64_t bytes) const {
    if (options_.max_bytes == 0 || bytes <= options_.max_bytes - bytes_) return {};
    return Status(Code::resource_exhausted,
                  "append of " + std::to_string(bytes) + " bytes would bring the memory store to " +
                      std::to_string(bytes_ + bytes) + " bytes, over options.max_bytes (" +
                      std::to_string(options_.max_bytes) + ")");
}

void MemoryStore::commit(const std::string& stream_id, std::vector<StoredEvent>& batch,
                         Claimed& claimed, EventBlock& block, uint64_t bytes) {
    const size_t log_before = log_.size();
    const size_t blocks_before = blocks_.size();
    const int64_t recorded_at_us = std::max(now_us(), last_recorded_at_us_);
    auto& streams = streams_.shard_of(stream_id);
    Stream* stream = nullptr;
    bool created = false;
    size_t events_before = 0;
    try {
        auto [entry, inserted] = streams.try_emplace(stream_id);
        stream = &entry->second;
        created = inserted;
        events_before = stream->events.size();
        const uint64_t current = stream->state.last_version;
        if (current == 0 && !batch.empty()) {
            stream->owner = std::string(abi::view(batch.front().record().tenant_id));
        }
        blocks_.push_back(Block{block.share(), batch.size()});
        for (size_t i = 0; i < batch.size(); ++i) {
            batch[i].place(entry->first, current + i + 1, log_.size() + 1, recorded_at_us,
                           blocks_.size() - 1);
            StoredEvent& stored = log_.emplace_back(batch[i]);
            stream->events.push_back(&stored);
        }
    } catch (...) {
        // Every id of the batch was claimed for it (claim_ids), so releasing them is exact.
        release_ids(claimed);
        if (created) {
            streams.erase(stream_id);
        } else if (stream != nullptr) {
            stream->events.resize(events_before);
        }
        while (log_.size() > log_before) log_.pop_back();
        blocks_.resize(blocks_before);
        throw;
    }
    stream->state.last_version += batch.size();
    bytes_ += bytes;
    last_recorded_at_us_ = recorded_at_us;
    apply_retention(*stream, recorded_at_us);
}

uint64_t MemoryStore::first_readable(const Stream& stream, int64_t now_us) {
    const uint64_t first = std::max(plugin::first_kept_version(stream.state), stream.first_stored());
    if (stream.state.max_age_us == 0 || first > stream.state.last_version) return first;
    // recorded_at never goes back along positions, so the young events are a suffix.
    const auto from = stream.events.begin() + static_cast<std::ptrdiff_t>(first - stream.first_stored());
    const auto young = std::partition_point(from, stream.events.end(), [&](const StoredEvent* event) {
        return !plugin::young_enough(stream.state, event->recorded_at_us(), now_us);
    });
    return first + static_cast<uint64_t>(young - from);
}

bool MemoryStore::readable(const StoredEvent& event, int64_t now_us) const {
    if (event.removed()) return false;
    if (aged_.empty()) return true;  // count and truncation remove at once: nothing else hides
    const std::string stream_id(event.stream_id());
    const auto& streams = streams_.shard_of(stream_id);
    const auto stream = streams.find(stream_id);
    return stream == streams.end() ||
           plugin::young_enough(stream->second.state, event.recorded_at_us(), now_us);
}

void MemoryStore::remove_below(Stream& stream, uint64_t version) {
    const uint64_t first = stream.first_stored();
    if (version <= first) return;
    const size_t count = static_cast<size_t>(std::min<uint64_t>(version - first, stream.events.size()));
    bool split = false;  // a block keeps events beside removed ones
    for (size_t i = 0; i < count; ++i) {
        StoredEvent& event = *stream.events[i];
        // The id's key points into the block: erased before the block may go.
        const IdKey id(event.event_id());
        ids_.shard_of(id).erase(id);
        bytes_ -= event.size();
        Block& block = blocks_[event.block()];
        if (--block.live == 0) block.memory.reset();
        split = block.live != 0;
        event.remove();
    }
    stream.events.erase(stream.events.begin(), stream.events.begin() + static_cast<std::ptrdiff_t>(count));
    // An append's events are consecutive versions: only the first survivors can share a block
    // with removed events.
    if (split) split_block(stream);
}

void MemoryStore::split_block(Stream& stream) {
    const size_t index = stream.events.front()->block();
    size_t count = 0;
    while (count < stream.events.size() && stream.events[count]->block() == index) ++count;
    std::vector<es_event_data> data;
    std::vector<const es_event_data*> events;
    data.reserve(count);
    events.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        data.push_back(stream.events[i]->data());
        events.push_back(&data.back());
    }
    es_append_request request = abi::make_struct<es_append_request>();
    request.events = events.data();
    request.event_count = count;
    EventBlock fresh(request);
    for (size_t i = 0; i < count; ++i) {
        StoredEvent& event = *stream.events[i];
        const IdKey old_id(event.event_id());
        ids_.shard_of(old_id).erase(old_id);
        event.move_to(fresh, index);
        const IdKey id(event.event_id());
        ids_.shard_of(id).try_emplace(id, event.global_position());
    }
    blocks_[index].memory = fresh.share();  // the old block goes with the last read holding it
}

void MemoryStore::apply_retention(Stream& stream, int64_t now_us) {
    remove_below(stream, first_readable(stream, now_us));
}

Result<std::unique_ptr<plugin::Iterator>> MemoryStore::read_stream(
    const es_read_stream_request& request) {
    const std::string stream_id(abi::view(request.stream_id));
    Page picked;
    es_page_info page = abi::make_struct<es_page_info>();
    {
        std::shared_lock lock(mutex_);
        const auto& streams = streams_.shard_of(stream_id);
        const auto found = streams.find(stream_id);
        if (found == streams.end() || owned_by_another(request, found->second)) {
            return plugin::stream_not_found(stream_id);
        }
        const Stream& stream = found->second;
        const uint64_t first = first_readable(stream, now_us());
        const uint64_t last = stream.state.last_version;
        // plugin.h: a stream with no readable event reads as missing, tombstoned or not.
        if (first > last) return plugin::stream_not_found(stream_id);
        const auto add = [&](uint64_t version) {
            const StoredEvent& event = *stream.events[version - stream.first_stored()];
            picked.add(event, blocks_[event.block()].memory);
        };
        if (request.forward) {
            const uint64_t from = std::max(request.from_version, first);
            const uint64_t count =
                from > last ? 0 : std::min<uint64_t>(request.max_count, last - from + 1);
            for (uint64_t version = from; version < from + count; ++version) add(version);
            page.next_from_version = count == 0 ? request.from_version : from + count;
            page.end_of_stream = from + count > last;
        } else {
            const uint64_t start =
                request.from_version == 0 || request.from_version > last ? last
                                                                          : request.from_version;
            const uint64_t count =
                start < first ? 0 : std::min<uint64_t>(request.max_count, start - first + 1);
            for (uint64_t version = start; version > start - count; --version) add(version);
            // Below the first readable version once it is returned: end_of_stream tells the
            // caller not to ask again (a backward read from 0 would start over at the last).
            page.next_from_version = start < first ? 0 : start - count;
            page.end_of_stream = start < first || start - count < first;
        }
    }
    return iterate(std::move(picked), page);
}

Result<std::unique_ptr<plugin::Iterator>> MemoryStore::read_all(
    const es_read_all_request& request) {
    const std::string_view prefix = abi::view(request.stream_prefix);
    const uint64_t max_scan = plugin::scan_limit(request);
    Page picked;
    es_page_info page = abi::make_struct<es_page_info>();
    {
        std::shared_lock lock(mutex_);
        const int64_t now = now_us();
        const uint64_t head = log_.size();
        uint64_t position = request.after_position;
        const uint64_t stop =
            position >= head ? position : position + std::min(max_scan, head - position);
        while (position < stop && picked.events.size() < request.max_count) {
            ++position;
            const StoredEvent& event = log_[position - 1];
            // A removed event is a gap: scanned (last_scanned_position covers it), not returned.
            if (has_prefix(event.stream_id(), prefix) && readable(event, now)) {
                picked.add(event, blocks_[event.block()].memory);
            }
        }
        page.last_scanned_position = position;
        page.reached_head = position >= head;
    }
    return iterate(std::move(picked), page);
}

MemoryStore::Stream* MemoryStore::find_stream(const std::string& stream_id, bool create) {
    auto& streams = streams_.shard_of(stream_id);
    if (create) return &streams.try_emplace(stream_id).first->second;
    const auto found = streams.find(stream_id);
    return found == streams.end() ? nullptr : &found->second;
}

Status MemoryStore::change_stream(const es_stream_change_request& request, es_stream_state& state) {
    const std::string stream_id(abi::view(request.stream_id));
    std::unique_lock lock(mutex_);
    Stream* stream = find_stream(stream_id, false);
    // plugin.h: the owner first, then the tombstone, then the expected version, then existence.
    if (stream != nullptr && owned_by_another(request, *stream)) {
        return plugin::not_the_owner(stream_id);
    }
    if (stream != nullptr && stream->state.tombstoned) {
        state = stream->state;
        return plugin::stream_tombstoned(stream_id);
    }
    const uint64_t last = stream == nullptr ? 0 : stream->state.last_version;
    if (!plugin::change_expected_matches(request, last)) {
        return plugin::wrong_expected_version(request, last, state);
    }
    const bool creates = request.kind == ES_CHANGE_TOMBSTONE || request.kind == ES_CHANGE_SET_RETENTION;
    if (last == 0 && !creates) return plugin::stream_not_found(stream_id);
    if (stream == nullptr) stream = find_stream(stream_id, true);
    switch (request.kind) {
    case ES_CHANGE_TOMBSTONE:
        stream->state.tombstoned = true;
        [[fallthrough]];
    case ES_CHANGE_DELETE:
        stream->state.truncate_before = last + 1;
        break;
    case ES_CHANGE_TRUNCATE:
        stream->state.truncate_before = std::max(stream->state.truncate_before,
                                                 std::min(request.before_version, last + 1));
        break;
    default:  // ES_CHANGE_SET_RETENTION: validation refused every other kind
        stream->state.max_count = request.max_count;
        stream->state.max_age_us = request.max_age_us;
        if (request.max_age_us == 0) {
            aged_.erase(stream);
        } else {
            aged_.insert(stream);
            if (!sweeper_.joinable()) sweeper_ = std::thread([this] { sweep_until_closed(); });
        }
        break;
    }
    apply_retention(*stream, now_us());
    state = stream->state;
    return {};
}

Status MemoryStore::stream_state(const es_stream_state_request& request, es_stream_state& state) {
    const std::string stream_id(abi::view(request.stream_id));
    std::shared_lock lock(mutex_);
    const auto& streams = streams_.shard_of(stream_id);
    const auto found = streams.find(stream_id);
    if (found == streams.end() || owned_by_another(request, found->second)) {
        return plugin::stream_not_found(stream_id);
    }
    const es_stream_state& known = found->second.state;
    if (known.last_version == 0 && !known.tombstoned && known.max_count == 0 &&
        known.max_age_us == 0) {
        return plugin::stream_not_found(stream_id);
    }
    state = known;
    return {};
}

void MemoryStore::sweep_until_closed() {
    std::unique_lock wait(sweep_mutex_);
    while (!sweep_wake_.wait_for(wait, kSweepInterval, [&] { return closing_; })) {
        wait.unlock();
        {
            std::unique_lock lock(mutex_);
            const int64_t now = now_us();
            for (Stream* stream : aged_) apply_retention(*stream, now);
        }
        wait.lock();
    }
}

void MemoryStore::stop_sweeping() {
    std::thread sweeper;
    {
        std::unique_lock lock(mutex_);
        sweeper = std::move(sweeper_);
    }
    if (!sweeper.joinable()) return;
    {
        std::lock_guard wait(sweep_mutex_);
        closing_ = true;
    }
    sweep_wake_.notify_all();
    sweeper.join();
}

}  // namespace eventstore::memory
