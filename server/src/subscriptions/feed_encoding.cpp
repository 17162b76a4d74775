#include "subscriptions/feed_encoding.hpp"

#include "eventstore/v1/eventstore.pb.h"
#include "subscriptions/response_framing.hpp"

namespace eventstore::server {
namespace {

class V1Encoding final : public FeedEncoding {
public:
    bool wants(const SharedEvent&) const override { return true; }
    grpc::ByteBuffer events(const SharedEventPtr* events, size_t count,
                            bool as_batch) const override {
        return frame_events(events, count, as_batch);
    }
    std::string checkpoint(uint64_t position) const override {
        v1::SubscribeResponse message;
        message.mutable_checkpoint()->set_global_position(position);
        return message.SerializeAsString();
    }
    std::string caught_up(uint64_t position, const SharedEvent*) const override {
        v1::SubscribeResponse message;
        message.mutable_caught_up()->set_global_position(position);
        return message.SerializeAsString();
    }
    std::string greeting() const override { return {}; }
};

}  // namespace

const FeedEncoding& v1_encoding() {
    static const V1Encoding encoding;
    return encoding;
}

}  // namespace eventstore::server
