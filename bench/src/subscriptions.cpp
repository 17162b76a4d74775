#include "subscriptions.hpp"

#include <algorithm>
#include <iostream>
#include <thread>

namespace eventstore::bench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::hours kSubscriptionDeadline{1};
// How often wait_received looks at the counters (no notification per event).
constexpr std::chrono::milliseconds kReceivedPoll{20};
// A subscription parses every message into an arena rather than the heap (a malloc and a free per
// event and field were most of this client's CPU at 100 subscribers x 5,000 events/s), and starts
// a fresh arena past this size. Small: a reset runs the deferred string destructors at once, and a
// 4 MiB arena made a 5-7 ms pause per subscriber, every subscriber at about the same event.
constexpr uint64_t kArenaBytes = 256 << 10;

}  // namespace

uint32_t subscription_channels(uint32_t subscribers, uint32_t channels) {
    return std::max(channels,
                    (subscribers + kSubscriptionsPerConnection - 1) / kSubscriptionsPerConnection);
}

uint64_t for_each_event(const v1::SubscribeResponse& message,
                        const std::function<void(const v1::RecordedEvent&)>& deliver) {
    if (message.has_event()) {
        deliver(message.event());
        return 1;
    }
    if (!message.has_batch()) return 0;
    for (const v1::RecordedEvent& event : message.batch().events()) deliver(event);
    return static_cast<uint64_t>(message.batch().events_size());
}

// One Subscribe call. A stalled one holds the call (AddHold) so that resume() may start its next
// read from outside a reaction.
class Subscription final : public grpc::ClientReadReactor<v1::SubscribeResponse> {
public:
    Subscription(Subscriptions& set, uint32_t index, bool stalled, const Subscriptions::OnEvent& on_event)
        : set_(set), index_(index), on_event_(on_event),
          message_(google::protobuf::Arena::CreateMessage<v1::SubscribeResponse>(&arena_)),
          held_(stalled) {
        context_.set_deadline(std::chrono::system_clock::now() + kSubscriptionDeadline);
    }

    void start(v1::EventStore::Stub& stub, const v1::SubscribeRequest& request) {
        stub.async()->Subscribe(&context_, &request, this);
        if (held_) AddHold();
        StartRead(message_);
        StartCall();
    }

    void OnReadDone(bool ok) override {
        if (!ok) return;  // the call ends: OnDone follows
        if (message_->has_caught_up()) {
            if (!caught_up_) {
                caught_up_ = true;
                std::lock_guard lock(set_.mutex_);
                ++set_.caught_up_;
                set_.changed_.notify_all();
            }
            std::lock_guard lock(mutex_);
            if (held_) {
                paused_ = true;
                return;
            }
        } else {
            const uint64_t events = for_each_event(*message_, [&](const v1::RecordedEvent& event) {
                if (event.global_position() <= last_position_) in_order_ = false;
                last_position_ = event.global_position();
                if (on_event_) on_event_(index_, event);
            });
            received_.fetch_add(events, std::memory_order_relaxed);
        }
        if (arena_.SpaceUsed() > kArenaBytes) {
            arena_.Reset();
            message_ = google::protobuf::Arena::CreateMessage<v1::SubscribeResponse>(&arena_);
        }
        StartRead(message_);
    }

    void OnDone(const grpc::Status& status) override {
        std::lock_guard lock(set_.mutex_);
        if (!set_.cancelled_ && set_.failure_.empty()) {
            set_.failure_ = "subscription " + std::to_string(index_) + " ended: " +
                            std::to_string(status.error_code()) + " " + status.error_message();
        }
        ++set_.ended_;
        set_.changed_.notify_all();
    }

    // Reads again (if paused) and releases the hold; `read`: false only releases it.
    void release(bool read) {
        std::unique_lock lock(mutex_);
        if (!held_) return;
        held_ = false;
        const bool paused = std::exchange(paused_, false);
        lock.unlock();
        if (paused && read) StartRead(message_);
        RemoveHold();
    }

    void cancel() { context_.TryCancel(); }
    uint64_t received() const { return received_.load(std::memory_order_relaxed); }
    bool in_order() const { return in_order_; }

private:
    Subscriptions& set_;
    const uint32_t index_;
    const Subscriptions::OnEvent& on_event_;
    grpc::ClientContext context_;
    google::protobuf::Arena arena_;
    // On arena_; replaced (between reads, in a reaction) when the arena is reset.
    v1::SubscribeResponse* message_;
    std::atomic<uint64_t> received_{0};
    // Touched by this call's reactions only (which never overlap), read after it ended.
    bool caught_up_ = false;
    uint64_t last_position_ = 0;
    bool in_order_ = true;
    std::mutex mutex_;
    bool held_;
    bool paused_ = false;
};

Subscriptions::Subscriptions(Target& target, const v1::SubscribeRequest& request, uint32_t count,
                             OnEvent on_event, std::vector<uint32_t> stalled)
    : request_(request), on_event_(std::move(on_event)) {
    for (uint32_t i = 0; i < count; ++i) {
        const bool stall = std::find(stalled.begin(), stalled.end(), i) != stalled.end();
        subscriptions_.push_back(std::make_unique<Subscription>(*this, i, stall, on_event_));
    }
    for (uint32_t i = 0; i < count; ++i) subscriptions_[i]->start(target.stub(i), request_);
}

Subscriptions::~Subscriptions() { cancel(); }

bool Subscriptions::wait_caught_up(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline, [&] {
        return caught_up_ == subscriptions_.size() || ended_ > 0;
    }) && ended_ == 0;
}

bool Subscriptions::wait_received(uint64_t events, Clock::time_point deadline,
                                  const std::vector<uint32_t>& indexes) {
    const auto done = [&] {
        if (indexes.empty()) {
            return std::all_of(subscriptions_.begin(), subscriptions_.end(),
                               [&](const auto& s) { return s->received() >= events; });
        }
        return std::all_of(indexes.begin(), indexes.end(),
                           [&](uint32_t i) { return subscriptions_[i]->received() >= events; });
    };
    while (!done()) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(kReceivedPoll);
    }
    return true;
}

void Subscriptions::resume(uint32_t index) { subscriptions_[index]->release(true); }

uint64_t Subscriptions::received(uint32_t index) const { return subscriptions_[index]->received(); }

bool Subscriptions::in_order(uint32_t index) const { return subscriptions_[index]->in_order(); }

std::string Subscriptions::failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
}

void Subscriptions::cancel() {
    {
        std::lock_guard lock(mutex_);
        if (cancelled_) return;
        cancelled_ = true;
    }
    for (auto& subscription : subscriptions_) {
        subscription->cancel();
        subscription->release(false);
    }
    std::unique_lock lock(mutex_);
    while (!changed_.wait_for(lock, std::chrono::seconds(60),
                              [&] { return ended_ == subscriptions_.size(); })) {
        std::cerr << "eventstore-bench: waiting for " << subscriptions_.size() - ended_
                  << " cancelled subscriptions to end\n";
    }
}

}  // namespace eventstore::bench
