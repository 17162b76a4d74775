#include "blocking_appends.hpp"

namespace eventstore::loader {

void BlockingAppends::submit(Task task) {
    std::unique_lock lock(mutex_);
    if (stopping_) {
        lock.unlock();
        task.expire(true);
        return;
    }
    queue_.push_back(std::move(task));
    if (idle_ > 0) {
        queued_.notify_one();
    } else if (threads_.size() < kMaxThreads) {
        threads_.emplace_back([this] { work(); });
    }
}

void BlockingAppends::stop() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        threads.swap(threads_);
        queued_.notify_all();
    }
    for (auto& thread : threads) thread.join();
}

void BlockingAppends::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        while (queue_.empty() && !stopping_) {
            ++idle_;
            queued_.wait(lock);
            --idle_;
        }
        if (queue_.empty()) return;
        Task task = std::move(queue_.front());
        queue_.pop_front();
        const bool stopping = stopping_;
        lock.unlock();
        if (stopping || task.deadline.passed()) {
            task.expire(stopping);
        } else {
            task.run();
        }
        task = Task{};
        lock.lock();
    }
}

}  // namespace eventstore::loader
