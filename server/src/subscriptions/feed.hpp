// feed.hpp: one subscriber's side of the subscription runtime: where it has read the log to, its
// bounded buffer of messages not yet written, and the one gRPC write it may have in flight.
// Pages come from two places: the subscriber's own catch-up reads, and the shared tail
// (tail.hpp) once it has joined it. Both hand them to offer(), which keeps only what this
// subscriber may see and has not had, and adds checkpoints and caught_up where the contract
// (docs/contract.md, "Subscribe") puts them.
//
// Thread-safety: every method may be called from any thread; one mutex guards the state, and is
// never held across a backend call. gRPC's StartWrite and Finish are called under it (they only
// queue work; their reactions run later on gRPC's threads). Lock order: the tail's lock, then a
// feed's, then the catch-up pool's.
#ifndef EVENTSTORE_SERVER_FEED_HPP
#define EVENTSTORE_SERVER_FEED_HPP

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_callback.h>

#include "config/config.hpp"
#include "security/auth.hpp"
#include "subscriptions/feed_encoding.hpp"
#include "subscriptions/shared_event.hpp"

namespace eventstore::server {

class Feed : public std::enable_shared_from_this<Feed> {
public:
    using Reactor = grpc::ServerWriteReactor<grpc::ByteBuffer>;

    // What a feed needs from the runtime that owns it (subscriptions.hpp).
    class Owner {
    public:
        virtual ~Owner() = default;
        // Queue one catch-up read of `feed`, made on a thread of the catch-up pool.
        virtual void read_more(std::shared_ptr<Feed> feed) = 0;
    };

    // What a subscriber asked for, once admitted.
    struct Request {
        uint64_t after = 0;
        std::string prefix;
        Caller caller;
        uint32_t max_batch_events = 0;  // 0: one event per message; else already capped
        std::chrono::system_clock::time_point deadline;  // the client's
        std::string request_id;  // the call's (observability/request_id.hpp), for its errors
        // The call's messages and its own filter (feed_encoding.hpp); null: eventstore.v1's.
        std::shared_ptr<const FeedEncoding> encoding;
        // Checkpoints every this many positions scanned (0: subscriptions.checkpoint_interval),
        // and by time (subscriptions.checkpoint_period_ms); none at all without `checkpoints`.
        uint64_t checkpoint_interval = 0;
        bool checkpoints = true;
    };

    // `reactor` receives StartWrite and Finish until detach().
    Feed(Owner& owner, const SubscriptionConfig& config, Request request, Reactor* reactor);

    const Request& request() const { return request_; }

    // Where the next catch-up read starts, and how far it may scan so that a checkpoint is due
    // at the latest where it ends.
    struct ReadFrom {
        uint64_t after;
        uint64_t max_scan;
    };
    ReadFrom read_from() const;

    enum class Offer { taken, overflow, ended };
    // Adds the page's events after position() that this subscriber may see, moves position()
    // to the page's end, and adds a checkpoint when one is due. From the tail (`live`), a page
    // that does not fit the buffer (subscriptions.max_buffered_events / _bytes) is refused
    // whole unless the buffer is empty: the feed then leaves the tail (the tail drops it on
    // `overflow`) and reads on its own once its buffer has drained to half. Catch-up pages are
    // always taken: their reads wait for room instead.
    Offer offer(const Page& page, bool live);

    // Queues a checkpoint at position() when one is due by time (checkpoint_period_ms) though no
    // page came: the tail calls it on its members while it waits, so skipped positions are
    // reported even when nothing more is committed.
    void checkpoint_if_due();

    // The hand-over to the tail, under the tail's lock: caught_up (the first time) at position().
    // Ended feeds refuse (false).
    bool join_live();

    // A catch-up read ended short of the head: the next is queued now if the buffer is at most
    // half full, else when it drains to that.
    void read_done();

    // Ends the call with `status` once the write in flight (if any) is done; messages not yet
    // written are dropped. The first status wins.
    void end(grpc::Status status);
    // UNAVAILABLE naming the last position written to the client: it resumes after that.
    void end_shutting_down();

    // The reactor's reactions.
    void on_write_done(bool ok);
    void on_cancel();
    // The reactor is gone (OnDone): nothing may be called on it any more.
    void detach();

    uint64_t position() const;

private:
    struct Outgoing {
        SharedEventPtr event;   // or
        std::string control;    // a serialized checkpoint or caught_up
        uint64_t position = 0;  // what the client has heard of once this is written
    };

    const FeedEncoding& encoding() const;
    uint64_t checkpoint_interval() const;
    void push_control_locked(std::string message, uint64_t position);
    bool checkpoint_due_locked() const;
    void queue_checkpoint_locked();
    bool below_half_locked() const;
    void pump_locked();
    grpc::ByteBuffer next_message_locked();

    Owner& owner_;
    const SubscriptionConfig& config_;
    const Request request_;

    mutable std::mutex mutex_;
    Reactor* reactor_;
    std::deque<Outgoing> outbox_;
    size_t buffered_events_ = 0;
    size_t buffered_bytes_ = 0;
    uint64_t position_;          // every position up to here is in the outbox, written or skipped
    uint64_t last_reported_;     // the last position queued for the client (event or checkpoint)
    uint64_t written_position_;  // the last position handed to gRPC
    std::chrono::steady_clock::time_point last_report_time_;
    bool caught_up_sent_ = false;
    SharedEventPtr last_taken_;  // until caught_up: the last event queued for the client
    bool read_waiting_ = false;  // a catch-up read waits for the buffer to drain
    bool writing_ = false;
    grpc::ByteBuffer in_flight_;
    std::optional<grpc::Status> ending_;
    bool finished_ = false;
};

}  // namespace eventstore::server

#endif
