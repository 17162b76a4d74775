// worker_pool.hpp: a fixed number of threads that run queued tasks in order of arrival: where
// subscriptions make their catch-up reads, so that the number of threads does not depend on the
// number of subscribers and no gRPC thread waits on the backend.
#ifndef EVENTSTORE_SERVER_WORKER_POOL_HPP
#define EVENTSTORE_SERVER_WORKER_POOL_HPP

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace eventstore::server {

class WorkerPool {
public:
    explicit WorkerPool(size_t threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Runs `task` on one of the threads; dropped once closed. Any thread may submit.
    void submit(std::function<void()> task);

    // Drops the tasks not started and waits for the running ones. Idempotent.
    void close();

private:
    void run();

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::function<void()>> tasks_;
    bool closed_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace eventstore::server

#endif
