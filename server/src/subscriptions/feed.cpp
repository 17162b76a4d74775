#include "subscriptions/feed.hpp"

#include <algorithm>
#include <vector>

#include "observability/server_metrics.hpp"
#include "rpc/page_reader.hpp"
#include "subscriptions/response_framing.hpp"

namespace eventstore::server {

Feed::Feed(Owner& owner, const SubscriptionConfig& config, Request request, Reactor* reactor)
    : owner_(owner),
      config_(config),
      request_(std::move(request)),
      reactor_(reactor),
      position_(request_.after),
      last_reported_(request_.after),
      written_position_(request_.after),
      last_report_time_(std::chrono::steady_clock::now()) {
    std::string greeting = encoding().greeting();
    if (!greeting.empty()) push_control_locked(std::move(greeting), request_.after);
}

const FeedEncoding& Feed::encoding() const {
    return request_.encoding ? *request_.encoding : v1_encoding();
}

uint64_t Feed::checkpoint_interval() const {
    return request_.checkpoint_interval > 0 ? request_.checkpoint_interval
                                            : config_.checkpoint_interval;
}

Feed::ReadFrom Feed::read_from() const {
    std::lock_guard lock(mutex_);
    const uint64_t scanned_since_report = position_ - last_reported_;
    const uint64_t interval = checkpoint_interval();
    return {position_, interval > scanned_since_report ? interval - scanned_since_report : 1};
}

uint64_t Feed::position() const {
    std::lock_guard lock(mutex_);
    return position_;
}

Feed::Offer Feed::offer(const Page& page, bool live) {
    std::lock_guard lock(mutex_);
    if (ending_) return Offer::ended;
    std::vector<const SharedEventPtr*> visible;
    size_t bytes = 0;
    for (const SharedEventPtr& event : page.events) {
        if (event->position <= position_ || !event->visible_to(request_.prefix, request_.caller) ||
            !encoding().wants(*event)) {
            continue;
        }
        visible.push_back(&event);
        bytes += event->bytes.size();
    }
    const bool fits = buffered_events_ + visible.size() <= config_.max_buffered_events &&
                      buffered_bytes_ + bytes <= config_.max_buffered_bytes;
    if (live && !fits && !outbox_.empty()) {
        server_metrics().subscriber_overflows.add();
        if (below_half_locked()) {
            owner_.read_more(shared_from_this());
        } else {
            read_waiting_ = true;
        }
        return Offer::overflow;
    }
    const auto now = std::chrono::steady_clock::now();
    for (const SharedEventPtr* event : visible) {
        outbox_.push_back(Outgoing{*event, {}, (*event)->position});
        if (!caught_up_sent_) last_taken_ = *event;
        last_reported_ = (*event)->position;
        last_report_time_ = now;
    }
    buffered_events_ += visible.size();
    buffered_bytes_ += bytes;
    position_ = std::max(position_, page.scanned_to);
    if (checkpoint_due_locked()) queue_checkpoint_locked();
    const uint64_t head = std::max(page.head, position_);
    server_metrics().subscriber_lag.observe(head - std::min(head, written_position_));
    pump_locked();
    return Offer::taken;
}

void Feed::checkpoint_if_due() {
    std::lock_guard lock(mutex_);
    if (ending_ || !checkpoint_due_locked()) return;
    queue_checkpoint_locked();
    pump_locked();
}

bool Feed::join_live() {
    std::lock_guard lock(mutex_);
    if (ending_) return false;
    if (!caught_up_sent_) {
        push_control_locked(encoding().caught_up(position_, last_taken_.get()), position_);
        caught_up_sent_ = true;
        last_taken_.reset();
        pump_locked();
    }
    return true;
}

void Feed::read_done() {
    std::lock_guard lock(mutex_);
    if (ending_) return;
    if (below_half_locked()) {
        owner_.read_more(shared_from_this());
    } else {
        read_waiting_ = true;
    }
}

void Feed::end(grpc::Status status) {
    std::lock_guard lock(mutex_);
    if (ending_) return;
    ending_ = std::move(status);
    pump_locked();
}

void Feed::end_shutting_down() {
    std::lock_guard lock(mutex_);
    if (ending_) return;
    ending_ = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                           "the server is shutting down; resume after global position " +
                               std::to_string(written_position_));
    pump_locked();
}

void Feed::on_write_done(bool ok) {
    std::lock_guard lock(mutex_);
    writing_ = false;
    in_flight_.Clear();
    if (!ok && !ending_) {
        ending_ = grpc::Status(grpc::StatusCode::CANCELLED, "the subscriber went away");
    }
    if (read_waiting_ && !ending_ && below_half_locked()) {
        read_waiting_ = false;
        owner_.read_more(shared_from_this());
    }
    pump_locked();
}

void Feed::on_cancel() { end(grpc::Status(grpc::StatusCode::CANCELLED, "the subscriber went away")); }

void Feed::detach() {
    std::lock_guard lock(mutex_);
    reactor_ = nullptr;
    if (!ending_) ending_ = grpc::Status(grpc::StatusCode::CANCELLED, "the call is over");
    outbox_.clear();
}

void Feed::push_control_locked(std::string message, uint64_t position) {
    Outgoing outgoing{nullptr, std::move(message), position};
    buffered_bytes_ += outgoing.control.size();
    outbox_.push_back(std::move(outgoing));
    last_reported_ = position;
    last_report_time_ = std::chrono::steady_clock::now();
}

void Feed::queue_checkpoint_locked() {
    push_control_locked(encoding().checkpoint(position_), position_);
}

bool Feed::checkpoint_due_locked() const {
    if (!request_.checkpoints || position_ <= last_reported_) return false;
    return position_ - last_reported_ >= checkpoint_interval() ||
           std::chrono::steady_clock::now() - last_report_time_ >= config_.checkpoint_period;
}

bool Feed::below_half_locked() const {
    return buffered_events_ <= config_.max_buffered_events / 2 &&
           buffered_bytes_ <= config_.max_buffered_bytes / 2;
}

void Feed::pump_locked() {
    if (writing_ || finished_ || reactor_ == nullptr) return;
    if (ending_) {
        outbox_.clear();
        finished_ = true;
        reactor_->Finish(*ending_);
        return;
    }
    if (outbox_.empty()) return;
    in_flight_ = next_message_locked();
    writing_ = true;
    // While more messages wait, gRPC may hold this one and send it with the next ones (one
    // sendmsg for many, which otherwise took most of a catch-up's CPU); the last one goes at once.
    reactor_->StartWrite(&in_flight_, outbox_.empty() ? grpc::WriteOptions()
                                                      : grpc::WriteOptions().set_buffer_hint());
}

grpc::ByteBuffer Feed::next_message_locked() {
    Outgoing& front = outbox_.front();
    written_position_ = front.position;
    if (!front.event) {
        grpc::ByteBuffer message = frame_bytes(front.control);
        buffered_bytes_ -= front.control.size();
        outbox_.pop_front();
        return message;
    }
    // Consecutive events, up to the client's max_batch_events and the response budget.
    const size_t most = std::max<size_t>(request_.max_batch_events, 1);
    constexpr size_t kFraming = 6;  // a tag and a length of up to 5 bytes
    std::vector<SharedEventPtr> events;
    size_t bytes = 0;
    while (!outbox_.empty() && outbox_.front().event && events.size() < most) {
        const size_t next = outbox_.front().event->bytes.size();
        const size_t framed = bytes + (events.size() + 2) * kFraming + next;
        if (!events.empty() && framed > kResponseByteBudget) break;
        bytes += next;
        written_position_ = outbox_.front().position;
        events.push_back(std::move(outbox_.front().event));
        outbox_.pop_front();
    }
    buffered_events_ -= events.size();
    buffered_bytes_ -= bytes;
    server_metrics().events_sent[static_cast<size_t>(Rpc::subscribe)].add(events.size());
    return encoding().events(events.data(), events.size(), request_.max_batch_events > 0);
}

}  // namespace eventstore::server
