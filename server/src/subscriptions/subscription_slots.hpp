// subscription_slots.hpp: the cap on Subscribe calls per connection
// (connections.max_subscriptions_per_connection). A connection is known by its peer address
// (ip:port), which is unique per TCP connection. Only Subscribe takes the lock, never the
// unary calls.
#ifndef EVENTSTORE_SERVER_SUBSCRIPTION_SLOTS_HPP
#define EVENTSTORE_SERVER_SUBSCRIPTION_SLOTS_HPP

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace eventstore::server {

class SubscriptionSlots {
public:
    // `cap` 0: no limit.
    explicit SubscriptionSlots(uint32_t cap) : cap_(cap) {}
    // Every slot was given back before: the server's Shutdown and Wait return only once gRPC
    // has run each call's OnDone, which destroys its slot. That order goes through gRPC core,
    // which ThreadSanitizer cannot see; taking the lock here makes it visible to it.
    ~SubscriptionSlots();
    SubscriptionSlots(const SubscriptionSlots&) = delete;
    SubscriptionSlots& operator=(const SubscriptionSlots&) = delete;

    // Held for the life of one subscription; gives its place back at destruction.
    class Slot {
    public:
        Slot(SubscriptionSlots& owner, std::string peer) : owner_(owner), peer_(std::move(peer)) {}
        ~Slot();
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;

    private:
        SubscriptionSlots& owner_;
        std::string peer_;
    };

    // A slot for one more subscription of `peer`, or nullptr when it already holds `cap`.
    std::unique_ptr<Slot> acquire(const std::string& peer);
    uint32_t cap() const { return cap_; }

private:
    const uint32_t cap_;
    std::mutex mutex_;
    std::unordered_map<std::string, uint32_t> held_;
};

}  // namespace eventstore::server

#endif
