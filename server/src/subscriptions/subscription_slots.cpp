#include "subscriptions/subscription_slots.hpp"

namespace eventstore::server {

std::unique_ptr<SubscriptionSlots::Slot> SubscriptionSlots::acquire(const std::string& peer) {
    std::lock_guard lock(mutex_);
    uint32_t& held = held_[peer];
    if (cap_ > 0 && held >= cap_) return nullptr;
    ++held;
    return std::make_unique<Slot>(*this, peer);
}

SubscriptionSlots::~SubscriptionSlots() {
    std::lock_guard lock(mutex_);
    held_.clear();
}

SubscriptionSlots::Slot::~Slot() {
    std::lock_guard lock(owner_.mutex_);
    const auto found = owner_.held_.find(peer_);
    if (found != owner_.held_.end() && --found->second == 0) owner_.held_.erase(found);
}

}  // namespace eventstore::server
