// events.hpp: the events the benchmark writes. Every event has a fresh client-made id (a UUID of
// the canonical form: a random prefix per process and a counter), type "BenchEvent" and a payload
// of the requested size. A live-delivery payload starts with its send time.
#ifndef EVENTSTORE_BENCH_EVENTS_HPP
#define EVENTSTORE_BENCH_EVENTS_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "eventstore/v1/eventstore.pb.h"
#include "streams.pb.h"

namespace eventstore::bench {

inline constexpr const char* kEventType = "BenchEvent";
inline constexpr const char* kContentType = "application/octet-stream";

// A name unique to this process, for stream ids: "bench-<hex>".
const std::string& run_prefix();

// Fills `request` to append `count` events of `payload_bytes` each to `stream` (expected: any),
// reusing its allocations; each call gives the events new ids.
void fill_append(v1::AppendRequest& request, const std::string& stream, uint32_t count,
                 uint32_t payload_bytes);

// Fills `messages` with the requests of one KurrentDB Streams.Append call of `count` events of
// `payload_bytes` each to `stream` (expected: any), as the official clients send them: the
// options, then one proposed message per event (a new id as a string UUID, metadata "type" and
// "content-type", the payload as data). Reuses its allocations.
void fill_kurrent_append(std::vector<event_store::client::streams::AppendReq>& messages,
                         const std::string& stream, uint32_t count, uint32_t payload_bytes);

// Fills `request` as one append of KurrentDB's Streams.BatchAppend, as the Node client sends an
// append whose events fit in one message: a new correlation id (string UUID), the options (the
// stream, expected: any, a deadline of 10 s as a Duration, the server listing
// "deadline_duration"), `count` proposed messages as fill_kurrent_append's, is_final. Reuses its
// allocations.
void fill_kurrent_batch_append(event_store::client::streams::BatchAppendReq& request,
                               const std::string& stream, uint32_t count, uint32_t payload_bytes);

// The bytes one event counts as stored data: payload, metadata fields and stream id (what the
// memory backend counts against its max_bytes).
uint64_t raw_event_bytes(const std::string& stream, uint32_t payload_bytes);

// Monotonic clock in nanoseconds, the same in every process of this machine.
int64_t monotonic_ns();
// Writes the send time into the first 8 bytes of every event's payload (payload >= 8 bytes).
void stamp_send_time(v1::AppendRequest& request);
// The send time stamped into a payload; 0 for a payload shorter than 8 bytes.
int64_t send_time_of(const std::string& payload);

}  // namespace eventstore::bench

#endif
