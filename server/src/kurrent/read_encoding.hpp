// read_encoding.hpp: a KurrentDB subscription (Read with count_option `subscription`) on the
// subscription runtime of eventstore.v1 (subscriptions/): its events as ReadResp messages, its
// confirmation first, checkpoints and caught_up as KurrentDB sends them, and the filter the
// runtime applies beyond the prefix and the caller's rights (one stream, or an EventFilter).
// The runtime's events are eventstore.v1 RecordedEvents serialized once; each subscriber
// translates the ones it keeps (kurrent/translate.hpp).
#ifndef EVENTSTORE_SERVER_KURRENT_READ_ENCODING_HPP
#define EVENTSTORE_SERVER_KURRENT_READ_ENCODING_HPP

#include <optional>
#include <string>

#include <grpcpp/support/byte_buffer.h>

#include "kurrent/read_options.hpp"
#include "streams.pb.h"
#include "subscriptions/feed_encoding.hpp"

namespace eventstore::server::kurrent {

// One ReadResp as a message of a raw (ByteBuffer) call.
grpc::ByteBuffer to_buffer(const event_store::client::streams::ReadResp& response);
// One serialized ReadResp (read_event_message) as a message of a raw call.
grpc::ByteBuffer to_buffer(const std::string& message);
// ReadResp.checkpoint at global position `position` (commit = prepare), stamped now.
event_store::client::streams::ReadResp checkpoint_at(uint64_t position);

class KurrentEncoding final : public FeedEncoding {
public:
    // A subscription to the stream `stream` (empty: to $all, with `filter` if set), for a stream
    // after revision `after_revision` (none: from the start).
    KurrentEncoding(std::string stream, std::optional<EventFilter> filter, UuidForm uuid,
                    std::optional<uint64_t> after_revision = std::nullopt);

    bool wants(const SharedEvent& event) const override;
    // `count` is 1: KurrentDB has no batches (the feed runs with max_batch_events 0).
    grpc::ByteBuffer events(const SharedEventPtr* events, size_t count, bool as_batch) const override;
    std::string checkpoint(uint64_t position) const override;
    // For a stream, caught_up also names the revision of the last event given (before any, the
    // revision subscribed after), as KurrentDB does.
    std::string caught_up(uint64_t position, const SharedEvent* last_event) const override;
    // ReadResp.confirmation with a new subscription id.
    std::string greeting() const override;

private:
    const std::string stream_;
    const std::optional<EventFilter> filter_;
    const UuidForm uuid_;
    const std::optional<uint64_t> after_revision_;
};

}  // namespace eventstore::server::kurrent

#endif
