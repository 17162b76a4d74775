#include "subscriptions/subscription.hpp"

#include "eventstore/loader/plugin.hpp"
#include "observability/server_metrics.hpp"
#include "rpc/errors.hpp"
#include "rpc/page_reader.hpp"
#include "rpc/translate.hpp"

namespace eventstore::server {
namespace {

// How often a waiting subscription looks whether its client went away.
constexpr std::chrono::milliseconds kCancelCheck{200};

grpc::Status shutting_down(uint64_t position) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the server is shutting down; resume after global position " +
                            std::to_string(position));
}

}  // namespace

Subscription::Subscription(loader::Store& store, CommitNotifier& notifier,
                           const SubscriptionConfig& config,
                           std::chrono::milliseconds backend_timeout, grpc::ServerContext& context,
                           grpc::ServerWriter<v1::SubscribeResponse>& writer)
    : store_(store),
      notifier_(notifier),
      config_(config),
      backend_timeout_(backend_timeout),
      context_(context),
      writer_(writer) {}

bool Subscription::send(const v1::SubscribeResponse& message) {
    last_report_time_ = std::chrono::steady_clock::now();
    return writer_.Write(message);
}

bool Subscription::send_checkpoint(uint64_t position) {
    v1::SubscribeResponse message;
    message.mutable_checkpoint()->set_global_position(position);
    last_reported_ = position;
    return send(message);
}

bool Subscription::checkpoint_due(uint64_t position) const {
    if (position <= last_reported_) return false;
    return position - last_reported_ >= config_.checkpoint_interval ||
           std::chrono::steady_clock::now() - last_report_time_ >= config_.checkpoint_period;
}

grpc::Status Subscription::run(uint64_t after, const std::string& prefix, const Caller& caller) {
    uint64_t position = after;
    last_reported_ = after;
    last_report_time_ = std::chrono::steady_clock::now();
    bool caught_up = false;
    bool client_gone = false;
    // One message for every event of this call: Clear() keeps its strings' allocations, so an
    // event costs no allocation of its own on this side.
    v1::SubscribeResponse message;
    const auto deliver = [&](const es_recorded_event& event) {
        if (!caller.may_see(event)) return true;
        v1::RecordedEvent* out = message.mutable_event();
        out->Clear();
        to_proto(event, out);
        last_reported_ = event.global_position;
        client_gone = !send(message);
        return !client_gone;
    };
    const auto gone = [&] {
        return grpc::Status(grpc::StatusCode::CANCELLED, "the subscriber went away");
    };

    for (;;) {
        if (notifier_.closed()) return shutting_down(position);
        if (context_.IsCancelled()) return gone();

        // Scan no further than one interval past what the client last heard of, so that a
        // checkpoint is due at the latest where this page ends.
        const auto read = read_all_request(position, config_.batch_size, prefix,
                                           last_reported_ + config_.checkpoint_interval - position,
                                           CallDeadline{context_, backend_timeout_});
        if (!read.ok()) return to_grpc(read.status(), context_);
        auto iterator = store_.read_all(read.value());
        if (!iterator.ok()) return backend_to_grpc(iterator.status(), context_);
        auto drained = drain(*iterator.value(), deliver);
        if (!drained.ok()) return backend_to_grpc(drained.status(), context_);
        if (client_gone) return gone();
        const uint64_t scanned_from = position;
        position = std::max(position, drained->page.last_scanned_position);
        const uint64_t head = notifier_.head();
        server_metrics().subscriber_lag.observe(head > position ? head - position : 0);
        if (checkpoint_due(position) && !send_checkpoint(position)) return gone();
        // A page that moved nothing is treated as the head, so a backend that cannot say never
        // makes this loop spin.
        if (!drained->page.reached_head && position > scanned_from) continue;

        if (!caught_up) {
            v1::SubscribeResponse message;
            message.mutable_caught_up()->set_global_position(position);
            last_reported_ = position;
            if (!send(message)) return gone();
            caught_up = true;
        }
        const bool pushed = (store_.plugin().capabilities() & ES_CAP_COMMIT_NOTIFICATIONS) != 0;
        notifier_.wait_beyond(position, std::chrono::steady_clock::now() +
                                            (pushed ? kCancelCheck : config_.poll_interval));
    }
}

}  // namespace eventstore::server
