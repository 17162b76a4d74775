// backend.hpp: the operations of the contract as the checks see them, over either path:
// the plugin's C ABI through the loader (abi_backend.hpp) or a running server over gRPC
// (grpc_backend.hpp). Everything returned is an owned copy, so a check can keep and compare it.
//
// Thread safety: every method may be called from many threads at once (the store handle and the
// gRPC stub both allow it).
#ifndef EVENTSTORE_CONFORMANCE_BACKEND_HPP
#define EVENTSTORE_CONFORMANCE_BACKEND_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "eventstore/status.hpp"

namespace eventstore::conformance {

using Headers = std::vector<std::pair<std::string, std::string>>;

// What a client sends for one event (docs/contract.md "What is preserved").
struct EventData {
    std::string event_id;
    std::string type_name;
    std::string content_type;
    std::string tenant_id;
    std::string correlation_id;
    std::string causation_id;
    Headers headers;  // a map in the contract: order is not significant
    std::string payload;
};

// What a read returns for one event.
struct RecordedEvent {
    std::string stream_id;
    uint64_t stream_version = 0;
    uint64_t global_position = 0;
    int64_t recorded_at_us = 0;
    EventData data;
};

enum class ExpectedKind { any, no_stream, stream_exists, exact };

struct Expected {
    ExpectedKind kind = ExpectedKind::any;
    uint64_t version = 0;  // for exact only

    static Expected any() { return {}; }
    static Expected no_stream() { return {ExpectedKind::no_stream, 0}; }
    static Expected stream_exists() { return {ExpectedKind::stream_exists, 0}; }
    static Expected exact(uint64_t version) { return {ExpectedKind::exact, version}; }
};

struct AppendOutcome {
    Status status;
    uint64_t current_version = 0;
    uint64_t first_position = 0;
    uint64_t last_position = 0;
    // On FAILED_PRECONDITION: the stream's current version, when the backend reported one (over
    // gRPC it travels in the WrongExpectedVersion detail, which may be missing).
    std::optional<uint64_t> actual_version;
    // On FAILED_PRECONDITION: the stream is tombstoned (es_append_result.tombstoned, or a
    // StreamDeleted detail over gRPC).
    bool tombstoned = false;
};

struct StreamPage {
    Status status;
    std::vector<RecordedEvent> events;
    uint64_t next_from_version = 0;
    bool end_of_stream = false;
};

struct AllPage {
    Status status;
    std::vector<RecordedEvent> events;
    uint64_t last_scanned_position = 0;
    bool reached_head = false;
};

// The stream lifecycle (plugin.h "Stream lifecycle", ABI 1.5): a stream's state.
struct StreamState {
    uint64_t last_version = 0;
    uint64_t truncate_before = 0;
    bool tombstoned = false;
    uint64_t max_count = 0;
    uint64_t max_age_us = 0;
};

enum class ChangeKind { remove, tombstone, truncate, set_retention };

// One change of a stream (DeleteStream, TombstoneStream, TruncateStream, SetStreamRetention).
struct StreamChange {
    ChangeKind kind = ChangeKind::remove;
    Expected expected;            // remove and tombstone
    uint64_t before_version = 0;  // truncate
    uint64_t max_count = 0;       // set_retention
    uint64_t max_age_us = 0;      // set_retention

    static StreamChange remove(Expected expected = Expected::any()) {
        return {ChangeKind::remove, expected, 0, 0, 0};
    }
    static StreamChange tombstone(Expected expected = Expected::any()) {
        return {ChangeKind::tombstone, expected, 0, 0, 0};
    }
    static StreamChange truncate(uint64_t before_version) {
        return {ChangeKind::truncate, {}, before_version, 0, 0};
    }
    static StreamChange retention(uint64_t max_count, uint64_t max_age_us) {
        return {ChangeKind::set_retention, {}, 0, max_count, max_age_us};
    }
};

struct StateOutcome {
    Status status;
    StreamState state;  // on OK
    // On FAILED_PRECONDITION: the stream's last_version, when the backend reported one (over gRPC
    // in the WrongExpectedVersion detail), and whether the stream is tombstoned.
    std::optional<uint64_t> actual_version;
    bool tombstoned = false;
};

class Backend {
public:
    virtual ~Backend() = default;

    virtual AppendOutcome append(const std::string& stream_id, Expected expected,
                                 const std::vector<EventData>& events) = 0;
    // max_count is passed as given: 0 and values above the cap are part of what is checked.
    virtual StreamPage read_stream(const std::string& stream_id, uint64_t from_version,
                                   uint32_t max_count, bool forward) = 0;
    virtual AllPage read_all(uint64_t after_position, uint32_t max_count,
                             const std::string& stream_prefix) = 0;
    // The stream lifecycle: UNIMPLEMENTED from a backend without it (optional in the ABI).
    virtual StateOutcome change_stream(const std::string& stream_id, const StreamChange& change) = 0;
    virtual StateOutcome stream_state(const std::string& stream_id) = 0;
};

}  // namespace eventstore::conformance

#endif
