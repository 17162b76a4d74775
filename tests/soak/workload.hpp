// workload.hpp: the soak's clients, each on its own thread and connection:
// - writers append batches of 1-5 events to streams they own, expecting the exact version, and
//   now and then send an append again to check that the retry is idempotent;
// - stream readers page through a random stream and check versions 1..n;
// - log readers page through the whole log with random page sizes and check that positions are
//   gap-free and ascending;
// - subscribers join at staggered times, from position 0 (every event, gap-free, in order) or
//   with a writer's prefix (only that writer's events, ascending).
// Everything acknowledged or refused goes to the Ledger.
#ifndef EVENTSTORE_TESTS_SOAK_WORKLOAD_HPP
#define EVENTSTORE_TESTS_SOAK_WORKLOAD_HPP

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "ledger.hpp"

namespace eventstore::test::soak {

struct Shape {
    int writers = 16;
    int streams_per_writer = 8;
    int stream_readers = 4;
    int log_readers = 4;
    int subscribers = 8;  // half from position 0, half with a writer's prefix
    std::chrono::seconds subscribers_join_within{30};
};

// What one subscriber received.
struct Delivery {
    std::string prefix;                  // empty: every stream
    std::vector<uint64_t> positions;     // of the events, in order of arrival
};

class Workload {
public:
    // `connect` makes a new connection to the server under test.
    Workload(std::function<std::shared_ptr<grpc::Channel>()> connect, Shape shape, Ledger& ledger);
    ~Workload();

    void start();
    // Stops the writers and readers and waits for them.
    void stop_load();
    // Waits until every subscriber has had every matching event up to `head`, then ends them.
    // False if one had not by `timeout`.
    bool drain_subscribers(uint64_t head, std::chrono::seconds timeout);
    // What each subscriber received (after drain_subscribers).
    std::vector<Delivery> deliveries() const;

    static std::string writer_prefix(int writer) { return "soak-w" + std::to_string(writer) + "-"; }

private:
    struct Subscriber;

    void write(int writer);
    void read_streams(int reader);
    void read_log(int reader);
    void subscribe(Subscriber& subscriber, std::chrono::milliseconds join_after);
    // Waits for `delay` unless the load stops first; false when it stopped.
    bool wait_unless_stopped(std::chrono::milliseconds delay);

    std::function<std::shared_ptr<grpc::Channel>()> connect_;
    const Shape shape_;
    Ledger& ledger_;
    std::atomic<bool> stop_{false};
    std::mutex stop_mutex_;
    std::condition_variable stopped_;
    std::vector<std::thread> load_threads_;
    std::vector<std::unique_ptr<Subscriber>> subscribers_;
};

}  // namespace eventstore::test::soak

#endif
