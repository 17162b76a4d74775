// subscriptions.hpp: many Subscribe calls from one process on gRPC's callback API. Each
// subscription is a reactor: no thread of its own, gRPC's callback threads run them all, so one
// client can hold thousands (the idle-subscribers, live and fan-out scenarios).
#ifndef EVENTSTORE_BENCH_SUBSCRIPTIONS_HPP
#define EVENTSTORE_BENCH_SUBSCRIPTIONS_HPP

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "target.hpp"

namespace eventstore::bench {

// Subscribe calls a started eventstored accepts on one connection
// (connections.max_subscriptions_per_connection, written into its configuration by servers.cpp;
// also the server's default, assumed for a --target).
inline constexpr uint32_t kSubscriptionsPerConnection = 1000;

// Channels (connections) for `subscribers` subscriptions: at least `channels`, and enough that
// none holds more than kSubscriptionsPerConnection.
uint32_t subscription_channels(uint32_t subscribers, uint32_t channels);

// Calls `deliver` for each event of a SubscribeResponse (`event`, or every event of `batch`);
// returns how many.
uint64_t for_each_event(const v1::SubscribeResponse& message,
                        const std::function<void(const v1::RecordedEvent&)>& deliver);

class Subscription;

// A set of subscriptions with the same request, opened at once over a target's channels.
class Subscriptions {
public:
    // Called on gRPC's threads for every event subscription `index` receives (one reactor's
    // calls never overlap); may be empty.
    using OnEvent = std::function<void(uint32_t index, const v1::RecordedEvent& event)>;

    // Opens `count` subscriptions on `target` (subscription i on channel i). A subscription whose
    // index is in `stalled` stops reading once caught up, until resume().
    Subscriptions(Target& target, const v1::SubscribeRequest& request, uint32_t count,
                  OnEvent on_event, std::vector<uint32_t> stalled = {});
    // Cancels whatever still runs and waits for every call to end.
    ~Subscriptions();
    Subscriptions(const Subscriptions&) = delete;
    Subscriptions& operator=(const Subscriptions&) = delete;

    uint32_t size() const { return static_cast<uint32_t>(subscriptions_.size()); }
    // Waits until every subscription has had caught_up; false at the deadline or when one ended.
    bool wait_caught_up(std::chrono::steady_clock::time_point deadline);
    // Waits until every subscription has received at least `events` events (those in `indexes`;
    // empty: all); false at the deadline.
    bool wait_received(uint64_t events, std::chrono::steady_clock::time_point deadline,
                       const std::vector<uint32_t>& indexes = {});
    // A stalled subscription reads again.
    void resume(uint32_t index);
    // Events subscription `index` has received; whether they came in strictly increasing global
    // positions.
    uint64_t received(uint32_t index) const;
    bool in_order(uint32_t index) const;
    // The status message of the first subscription that ended before cancel(); empty if none.
    std::string failure() const;
    // Cancels every call and waits until each has ended.
    void cancel();

private:
    friend class Subscription;

    const v1::SubscribeRequest request_;
    const OnEvent on_event_;
    std::vector<std::unique_ptr<Subscription>> subscriptions_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    uint32_t caught_up_ = 0;
    uint32_t ended_ = 0;
    bool cancelled_ = false;
    std::string failure_;
};

}  // namespace eventstore::bench

#endif
