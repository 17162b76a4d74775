#include "subscriptions/response_framing.hpp"

#include <vector>

#include <grpcpp/support/slice.h>

namespace eventstore::server {
namespace {

constexpr char kEventTag = 0x0A;  // field 1, length-delimited: SubscribeResponse.event, EventBatch.events
constexpr char kBatchTag = 0x22;  // field 4, length-delimited: SubscribeResponse.batch

size_t varint_size(size_t value) {
    size_t size = 1;
    for (; value >= 0x80; value >>= 7) ++size;
    return size;
}

void put_varint(std::string& out, size_t value) {
    for (; value >= 0x80; value >>= 7) out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    out.push_back(static_cast<char>(value));
}

size_t field_size(size_t length) { return 1 + varint_size(length) + length; }

void release_event(void* holder) { delete static_cast<SharedEventPtr*>(holder); }

// Slices of one message: copied bytes gather in `pending` until a shared event needs a slice of
// its own.
class SliceList {
public:
    std::string& pending() { return pending_; }

    void share(const SharedEventPtr& event) {
        flush();
        auto* holder = new SharedEventPtr(event);
        slices_.emplace_back(const_cast<char*>(event->bytes.data()), event->bytes.size(),
                             &release_event, holder);
    }

    grpc::ByteBuffer finish() {
        flush();
        return grpc::ByteBuffer(slices_.data(), slices_.size());
    }

private:
    void flush() {
        if (pending_.empty()) return;
        slices_.emplace_back(pending_.data(), pending_.size());  // copies
        pending_.clear();
    }

    std::string pending_;
    std::vector<grpc::Slice> slices_;
};

}  // namespace

size_t framed_size(const SharedEventPtr* events, size_t count, bool as_batch) {
    size_t inner = 0;
    for (size_t i = 0; i < count; ++i) inner += field_size(events[i]->bytes.size());
    return as_batch ? field_size(inner) : inner;
}

grpc::ByteBuffer frame_events(const SharedEventPtr* events, size_t count, bool as_batch) {
    SliceList slices;
    if (as_batch) {
        slices.pending().push_back(kBatchTag);
        put_varint(slices.pending(), framed_size(events, count, false));
    }
    for (size_t i = 0; i < count; ++i) {
        const std::string& bytes = events[i]->bytes;
        slices.pending().push_back(kEventTag);
        put_varint(slices.pending(), bytes.size());
        if (bytes.size() >= kShareAbove) {
            slices.share(events[i]);
        } else {
            slices.pending().append(bytes);
        }
    }
    return slices.finish();
}

grpc::ByteBuffer frame_bytes(const std::string& serialized) {
    grpc::Slice slice(serialized.data(), serialized.size());
    return grpc::ByteBuffer(&slice, 1);
}

}  // namespace eventstore::server
