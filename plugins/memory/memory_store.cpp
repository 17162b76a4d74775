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

Result<std::unique_ptr<plugin::Iterator>> iterate(std::vector<const StoredEvent*> events,
                                                  const es_page_info& page) {
    return std::make_unique<PageIterator>(std::move(events), page);
}

// plugin.h "Stream owners" for a stream of the index: whether its first event's tenant is not the
// request's owner_tenant. A stream is empty only after an append of no events, which validation
// refuses before a request reaches the store, unless a plugin skips it (the conformance suite's
// broken-no-validation fixture): no owner then.
template <class Request>
bool owned_by_another(const Request& request, const std::vector<const StoredEvent*>& events) {
    return !events.empty() &&
           plugin::owned_by_another(request, abi::view(events.front()->record().tenant_id));
}

}  // namespace

MemoryStore::MemoryStore(const MemoryOptions& options, plugin::Host host)
    : options_(options), host_(std::move(host)) {}

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
        const uint64_t current = stream == streams.end() ? 0 : stream->second.size();
        if (!plugin::expected_matches(request, current)) {
            release_ids(claimed);
            return plugin::wrong_expected_version(request, current, result);
        }
        if (Status s = check_capacity(batch_bytes); !s.ok()) {
            release_ids(claimed);
            return s;
        }
        commit(stream_id, current, batch, claimed, block, batch_bytes);
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

void MemoryStore::commit(const std::string& stream_id, uint64_t current,
                         std::vector<StoredEvent>& batch, Claimed& claimed, EventBlock& block,
                         uint64_t bytes) {
    const size_t log_before = log_.size();
    const size_t blocks_before = blocks_.size();
    const int64_t recorded_at_us = std::max(now_us(), last_recorded_at_us_);
    try {
        blocks_.push_back(block.release());
        auto& [key, events] = *streams_.shard_of(stream_id).try_emplace(stream_id).first;
        for (size_t i = 0; i < batch.size(); ++i) {
            batch[i].place(key, events.size() + 1, log_.size() + 1, recorded_at_us);
            const StoredEvent& stored = log_.emplace_back(batch[i]);
            events.push_back(&stored);
        }
    } catch (...) {
        // Every id of the batch was claimed for it (claim_ids), so releasing them is exact.
        release_ids(claimed);
        auto& streams = streams_.shard_of(stream_id);
        if (const auto stream = streams.find(stream_id); stream != streams.end()) {
            stream->second.resize(current);
            if (current == 0) streams.erase(stream);
        }
        while (log_.size() > log_before) log_.pop_back();
        blocks_.resize(blocks_before);
        throw;
    }
    bytes_ += bytes;
    last_recorded_at_us_ = recorded_at_us;
}

Result<std::unique_ptr<plugin::Iterator>> MemoryStore::read_stream(
    const es_read_stream_request& request) {
    const std::string stream_id(abi::view(request.stream_id));
    std::vector<const StoredEvent*> picked;
    es_page_info page = abi::make_struct<es_page_info>();
    {
        std::shared_lock lock(mutex_);
        const auto& streams = streams_.shard_of(stream_id);
        const auto stream = streams.find(stream_id);
        if (stream == streams.end() || owned_by_another(request, stream->second)) {
            return plugin::stream_not_found(stream_id);
        }
        const std::vector<const StoredEvent*>& events = stream->second;
        const uint64_t current = events.size();
        if (request.forward) {
            const uint64_t first = std::max<uint64_t>(request.from_version, 1);
            const uint64_t skip = std::min(first - 1, current);
            const uint64_t count = std::min<uint64_t>(request.max_count, current - skip);
            picked.assign(events.begin() + skip, events.begin() + skip + count);
            page.next_from_version = count == 0 ? request.from_version : skip + count + 1;
            page.end_of_stream = skip + count == current;
        } else {
            const uint64_t last =
                request.from_version == 0 || request.from_version > current ? current
                                                                            : request.from_version;
            const uint64_t count = std::min<uint64_t>(request.max_count, last);
            picked.assign(events.rbegin() + (current - last),
                          events.rbegin() + (current - last + count));
            // 0 once version 1 is returned: end_of_stream tells the caller not to ask again (a
            // backward read from 0 would start over at the last version).
            page.next_from_version = last - count;
            page.end_of_stream = last == count;
        }
    }
    return iterate(std::move(picked), page);
}

Result<std::unique_ptr<plugin::Iterator>> MemoryStore::read_all(
    const es_read_all_request& request) {
    const std::string_view prefix = abi::view(request.stream_prefix);
    const uint64_t max_scan = plugin::scan_limit(request);
    std::vector<const StoredEvent*> picked;
    es_page_info page = abi::make_struct<es_page_info>();
    {
        std::shared_lock lock(mutex_);
        const uint64_t head = log_.size();
        uint64_t position = request.after_position;
        const uint64_t stop =
            position >= head ? position : position + std::min(max_scan, head - position);
        while (position < stop && picked.size() < request.max_count) {
            ++position;
            const StoredEvent& event = log_[position - 1];
            if (has_prefix(event.stream_id(), prefix)) picked.push_back(&event);
        }
        page.last_scanned_position = position;
        page.reached_head = position >= head;
    }
    return iterate(std::move(picked), page);
}

}  // namespace eventstore::memory
