// subscription.hpp: one Subscribe call, built on the backend's read_all and the commit
// notification, so every backend gets live subscriptions. It reads in batches and writes each
// event as gRPC flow control allows: a slow consumer holds one batch, never more, and never slows
// the writers (they append to the store, not to subscriber queues): it just reads further behind.
#ifndef EVENTSTORE_SERVER_SUBSCRIPTION_HPP
#define EVENTSTORE_SERVER_SUBSCRIPTION_HPP

#include <chrono>
#include <string>

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/sync_stream.h>

#include "config/config.hpp"
#include "eventstore/loader/store.hpp"
#include "eventstore/v1/eventstore.pb.h"
#include "security/auth.hpp"
#include "subscriptions/commit_notifier.hpp"

namespace eventstore::server {

class Subscription {
public:
    // `backend_timeout` bounds each page read (call_deadline.hpp).
    Subscription(loader::Store& store, CommitNotifier& notifier, const SubscriptionConfig& config,
                 std::chrono::milliseconds backend_timeout, grpc::ServerContext& context,
                 grpc::ServerWriter<v1::SubscribeResponse>& writer);

    // Delivers every matching event after `after`, exactly once and in order: catch-up, then
    // caught_up once, then live; checkpoints while the filter skips. Ends with UNAVAILABLE when
    // the server shuts down, CANCELLED when the client goes away, or the backend's error. Events
    // the caller may not see are skipped like events outside the prefix.
    grpc::Status run(uint64_t after, const std::string& prefix, const Caller& caller = {});

private:
    bool send(const v1::SubscribeResponse& message);
    bool send_checkpoint(uint64_t position);
    // A checkpoint is due when the filter skipped enough positions, or enough time passed.
    bool checkpoint_due(uint64_t position) const;

    loader::Store& store_;
    CommitNotifier& notifier_;
    const SubscriptionConfig& config_;
    const std::chrono::milliseconds backend_timeout_;
    grpc::ServerContext& context_;
    grpc::ServerWriter<v1::SubscribeResponse>& writer_;
    uint64_t last_reported_ = 0;  // the last position the client heard of (event or checkpoint)
    std::chrono::steady_clock::time_point last_report_time_;
};

}  // namespace eventstore::server

#endif
