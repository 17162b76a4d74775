// subscriptions.hpp: the subscription runtime of one store: the shared tail (tail.hpp), a small
// pool of threads for catch-up reads (worker_pool.hpp), and every subscriber's feed (feed.hpp)
// until its call ends. Its threads are kTailThreads + kCatchUpThreads whatever the number of
// subscribers; gRPC's threads only start and finish writes, never wait on the backend.
#ifndef EVENTSTORE_SERVER_SUBSCRIPTIONS_HPP
#define EVENTSTORE_SERVER_SUBSCRIPTIONS_HPP

#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "eventstore/loader/store.hpp"
#include "subscriptions/commit_notifier.hpp"
#include "subscriptions/feed.hpp"
#include "subscriptions/tail.hpp"
#include "subscriptions/worker_pool.hpp"

namespace eventstore::server {

class Subscriptions final : public Feed::Owner {
public:
    static constexpr size_t kTailThreads = 1;
    static constexpr size_t kCatchUpThreads = 4;

    // `store`, `notifier` and `config` must outlive the runtime.
    Subscriptions(loader::Store& store, CommitNotifier& notifier, const Config& config);
    ~Subscriptions() override;

    // Starts delivering to `feed`: catch-up reads, then the tail. After shutdown() the feed ends
    // at once with UNAVAILABLE; a feed whose token was withdrawn meanwhile ends at once with
    // Authorizer::withdrawn_status.
    void start(const std::shared_ptr<Feed>& feed);
    // The feed's call is over: it leaves the tail and is forgotten.
    void forget(const Feed* feed);

    // Ends, with Authorizer::withdrawn_status, every subscription whose token a reload withdrew
    // (call it after Authorizer::replace_tokens). With start(), no subscription admitted with a
    // withdrawn token outlives this call.
    void end_withdrawn();

    // After a lifecycle change removed events: no subscriber is handed a page read before it
    // from the tail's ring (Tail::forget_recent).
    void forget_recent() { tail_.forget_recent(); }

    // Stops the tail and the catch-up reads, and ends every subscription with UNAVAILABLE naming
    // the position it resumes after. Idempotent.
    void shutdown();

    void read_more(std::shared_ptr<Feed> feed) override;

private:
    // The feeds of calls not yet over.
    std::vector<std::shared_ptr<Feed>> live_feeds();
    // One catch-up page of `feed`; then the hand-over to the tail when it reached the head.
    void catch_up(const std::shared_ptr<Feed>& feed);

    loader::Store& store_;
    CommitNotifier& notifier_;
    const Config& config_;
    Tail tail_;
    WorkerPool catch_up_pool_;

    std::mutex mutex_;
    std::unordered_map<const Feed*, std::weak_ptr<Feed>> feeds_;
    bool closed_ = false;
};

}  // namespace eventstore::server

#endif
