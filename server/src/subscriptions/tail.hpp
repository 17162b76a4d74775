// tail.hpp: the one reader that follows the global log for every live subscriber of a store. It
// waits for the backend's commit notification (CommitNotifier), or polls every
// subscriptions.poll_interval_ms for a backend without ES_CAP_COMMIT_NOTIFICATIONS, reads each
// new page once with read_all, serializes each event once (shared_event.hpp) and offers the page
// to every member (Feed::offer). So a commit costs one backend read whatever the number of
// subscribers. It reads only while it has members.
//
// Hand-over: a subscriber catches up with its own reads and joins when a read reached the head.
// Under the tail's lock, joining succeeds when the tail has read no further than the subscriber
// (the tail then delivers only what lies beyond it), or when the tail's ring of recent pages
// still holds every page after the subscriber's position (they are replayed to it first);
// otherwise the subscriber reads on and tries again. With no members, the tail simply moves to
// the joining subscriber's position. Either way nothing is skipped and nothing is delivered twice.
//
// A member whose buffer overflows is dropped (Feed::offer answers `overflow`) and catches up on
// its own; one whose call ended is dropped too. A failed read ends every member's call with the
// backend's error, as the members' own reads would have. Thread-safety: join, leave and close from any
// thread; the lock is never held across a backend call.
#ifndef EVENTSTORE_SERVER_TAIL_HPP
#define EVENTSTORE_SERVER_TAIL_HPP

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "eventstore/loader/store.hpp"
#include "subscriptions/commit_notifier.hpp"
#include "subscriptions/feed.hpp"

namespace eventstore::server {

class Tail {
public:
    // The pages kept for hand-overs.
    static constexpr size_t kRingPages = 16;

    // `store` and `notifier` must outlive the tail. Starts its thread.
    Tail(loader::Store& store, CommitNotifier& notifier, const SubscriptionConfig& config,
         std::chrono::milliseconds backend_timeout);
    ~Tail();
    Tail(const Tail&) = delete;
    Tail& operator=(const Tail&) = delete;

    // Makes `feed` a member when the hand-over can be exact (above); false when the feed must
    // read on, or the tail is closed, or the feed has ended.
    bool join(const std::shared_ptr<Feed>& feed);
    void leave(const Feed* feed);

    // Empties the ring of recent pages, and keeps a page whose read began before this call out of
    // it: called after a lifecycle change returned, so a joining subscriber never gets an event
    // removed before it joined. Members already live got those pages as readers before the change.
    void forget_recent();

    // Stops the thread (waits for a read in flight) and drops every member. Idempotent.
    void close();

private:
    enum class Next { stop, read, wait };
    void run();
    // Waits until there are members and, at the head, until something is committed beyond the
    // tail (or the poll interval passed). A wait for a notification lasts at most
    // checkpoint_period_ms; when it ends with nothing committed, the members get their
    // checkpoints due by time and the tail reads once anyway, so that a backend that went away
    // ends the live subscriptions as it ends everything else. `stop` once the tail or the
    // notifier is closed; `wait` after a join woke it with nothing to read.
    Next wait_for_work(bool at_head);
    // Offers the page to every member and, unless `ring` is false, keeps it in the ring.
    void fan_out_locked(Page page, bool ring);

    loader::Store& store_;
    CommitNotifier& notifier_;
    const SubscriptionConfig& config_;
    const std::chrono::milliseconds backend_timeout_;
    const bool pushed_;  // the backend announces its commits

    std::mutex mutex_;
    std::condition_variable changed_;  // members, closed
    std::vector<std::shared_ptr<Feed>> members_;
    std::deque<Page> ring_;
    uint64_t position_ = 0;    // every position up to here was read and fanned out
    uint64_t generation_ = 0;  // moves when position_ is set by a join, to drop a page read before
    uint64_t removals_ = 0;    // moves with forget_recent, to keep a page read before out of the ring
    bool closed_ = false;
    std::thread thread_;
};

}  // namespace eventstore::server

#endif
