#include "subscriptions/commit_notifier.hpp"

namespace eventstore::server {

void CommitNotifier::committed(uint64_t position) {
    {
        std::lock_guard lock(mutex_);
        if (position <= head_) return;
        head_ = position;
    }
    changed_.notify_all();
}

bool CommitNotifier::wait_beyond(uint64_t position, std::chrono::steady_clock::time_point until) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, until, [&] { return closed_ || woken_ || head_ > position; });
    woken_ = false;
    return head_ > position;
}

void CommitNotifier::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    changed_.notify_all();
}

void CommitNotifier::close() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    changed_.notify_all();
}

bool CommitNotifier::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

uint64_t CommitNotifier::head() const {
    std::lock_guard lock(mutex_);
    return head_;
}

}  // namespace eventstore::server
