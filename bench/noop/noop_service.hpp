// noop_service.hpp: the EventStore gRPC service doing no storage work, the ceiling that
// eventstore-bench's ratios divide by. It answers with messages of the same shape and size as
// eventstored's:
// - Append counts the events into a head position and returns at once; the first event it sees
//   becomes the template of every event it hands out.
// - ReadStream and ReadAll return full pages (max_count events, default 100, capped at 1,000)
//   of the template, numbered as asked; ReadAll reaches the head at the appended count.
// - Subscribe sends the template numbered from after+1 up to the head, then caught_up, then
//   waits for the client to go away (live delivery is not modelled).
// Thread-safe.
#ifndef EVENTSTORE_BENCH_NOOP_SERVICE_HPP
#define EVENTSTORE_BENCH_NOOP_SERVICE_HPP

#include <atomic>
#include <mutex>

#include "eventstore/v1/eventstore.grpc.pb.h"

namespace eventstore::bench {

class NoopService final : public v1::EventStore::Service {
public:
    grpc::Status Append(grpc::ServerContext* context, const v1::AppendRequest* request,
                        v1::AppendResponse* response) override;
    grpc::Status ReadStream(grpc::ServerContext* context, const v1::ReadStreamRequest* request,
                            v1::ReadStreamResponse* response) override;
    grpc::Status ReadAll(grpc::ServerContext* context, const v1::ReadAllRequest* request,
                         v1::ReadAllResponse* response) override;
    grpc::Status Subscribe(grpc::ServerContext* context, const v1::SubscribeRequest* request,
                           grpc::ServerWriter<v1::SubscribeResponse>* writer) override;

    // For the KurrentDB protocol's no-op service (noop_kurrent_service.hpp), which shares the
    // head and the template: counts `count` appended events, returns the new head.
    uint64_t count_appended(uint64_t count) { return head_.fetch_add(count) + count; }
    uint64_t head() const { return head_; }
    // Fills `out` with the template numbered (stream, version, position).
    void make_event(const std::string& stream, uint64_t version, uint64_t position,
                    v1::RecordedEvent* out) const;

private:

    std::atomic<uint64_t> head_{0};
    std::once_flag template_once_;
    std::atomic<bool> has_template_{false};
    v1::RecordedEvent template_;
};

}  // namespace eventstore::bench

#endif
