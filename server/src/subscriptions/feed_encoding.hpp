// feed_encoding.hpp: what a subscriber's messages look like on the wire, and which events of the
// pages it is offered it keeps beyond its prefix and its caller's rights. eventstore.v1's
// Subscribe uses v1_encoding() (SubscribeResponse around the shared events, response_framing.hpp);
// another protocol served over the same runtime (KurrentDB's Read, kurrent/read_encoding.hpp)
// brings its own. Immutable once made: any thread may call it.
#ifndef EVENTSTORE_SERVER_FEED_ENCODING_HPP
#define EVENTSTORE_SERVER_FEED_ENCODING_HPP

#include <cstddef>
#include <cstdint>
#include <string>

#include <grpcpp/support/byte_buffer.h>

#include "subscriptions/shared_event.hpp"

namespace eventstore::server {

class FeedEncoding {
public:
    virtual ~FeedEncoding() = default;

    // True when the subscriber receives `event` (already within its prefix and visible to it).
    virtual bool wants(const SharedEvent& event) const = 0;
    // One message holding `count` events; `as_batch` as Feed::Request::max_batch_events > 0.
    virtual grpc::ByteBuffer events(const SharedEventPtr* events, size_t count,
                                    bool as_batch) const = 0;
    // The serialized checkpoint and caught_up messages at global position `position`; for
    // caught_up, `last_event` is the last event the subscriber was given (nullptr: none yet).
    virtual std::string checkpoint(uint64_t position) const = 0;
    virtual std::string caught_up(uint64_t position, const SharedEvent* last_event) const = 0;
    // The serialized message the call starts with; empty: none.
    virtual std::string greeting() const = 0;
};

// eventstore.v1's SubscribeResponse: every event, no greeting.
const FeedEncoding& v1_encoding();

}  // namespace eventstore::server

#endif
