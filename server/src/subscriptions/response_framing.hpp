// response_framing.hpp: SubscribeResponse messages built around shared, already serialized
// events (shared_event.hpp) instead of serialized per subscriber. A message is the protobuf
// framing (a field tag and a length, a few bytes) written here plus the events' bytes; events of
// kShareAbove bytes or more go into the message by reference (a slice that holds the event
// alive), smaller ones are copied, which costs less than a reference.
//
// The field numbers are proto/eventstore/v1/eventstore.proto's: SubscribeResponse.event = 1,
// SubscribeResponse.batch = 4, EventBatch.events = 1.
#ifndef EVENTSTORE_SERVER_RESPONSE_FRAMING_HPP
#define EVENTSTORE_SERVER_RESPONSE_FRAMING_HPP

#include <cstddef>
#include <string>

#include <grpcpp/support/byte_buffer.h>

#include "subscriptions/shared_event.hpp"

namespace eventstore::server {

inline constexpr size_t kShareAbove = 1024;

// The serialized size of `events` as one message: SubscribeResponse.event for a single event
// when `as_batch` is false, else SubscribeResponse.batch.
size_t framed_size(const SharedEventPtr* events, size_t count, bool as_batch);

// The message itself. Without `as_batch`, `count` must be 1.
grpc::ByteBuffer frame_events(const SharedEventPtr* events, size_t count, bool as_batch);

// A message serialized elsewhere (checkpoint, caught_up), as one copied slice.
grpc::ByteBuffer frame_bytes(const std::string& serialized);

}  // namespace eventstore::server

#endif
