// blocking_appends.hpp: Store::append_async for a backend without append_async (every plugin
// before ABI 1.4, and those that leave it NULL): its blocking append runs on threads of this
// pool, so that the caller (a gRPC completion) never waits for storage. Threads are made as
// appends wait for one, up to kMaxThreads, and stay for the next ones; an append whose deadline
// passes while it waits for a thread is answered DEADLINE_EXCEEDED without reaching the backend.
//
// Thread safety: submit() from any thread; stop() once, when no submit() can come any more.
#ifndef EVENTSTORE_LOADER_BLOCKING_APPENDS_HPP
#define EVENTSTORE_LOADER_BLOCKING_APPENDS_HPP

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "eventstore/deadline.hpp"

namespace eventstore::loader {

class BlockingAppends {
public:
    // As many appends as the synchronous server had handler threads (server.hpp).
    static constexpr size_t kMaxThreads = 64;

    // A queued append: `run` calls the backend and completes it, `expire` completes it without
    // calling the backend (its deadline passed, or the pool stopped).
    struct Task {
        Deadline deadline;
        std::function<void()> run;
        std::function<void(bool stopping)> expire;
    };

    ~BlockingAppends() { stop(); }

    void submit(Task task);
    // Lets the running appends end, expires the queued ones and joins the threads.
    void stop();

private:
    void work();

    std::mutex mutex_;
    std::condition_variable queued_;
    std::deque<Task> queue_;            // mutex_
    std::vector<std::thread> threads_;  // mutex_
    size_t idle_ = 0;                   // mutex_
    bool stopping_ = false;             // mutex_
};

}  // namespace eventstore::loader

#endif
