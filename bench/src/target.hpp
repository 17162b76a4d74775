// target.hpp: a server under load as the client sees it: gRPC stubs of eventstore.v1 and of
// KurrentDB's Streams over several channels (each its own TCP connection, shared by both
// protocols), and the seeding of events before read scenarios.
#ifndef EVENTSTORE_BENCH_TARGET_HPP
#define EVENTSTORE_BENCH_TARGET_HPP

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "streams.grpc.pb.h"
#include "servers.hpp"

namespace eventstore::bench {

class Target {
public:
    Target(BenchServer& server, uint32_t channels);

    BenchServer& server() const { return *server_; }
    // The stub of channel `i` (modulo the channel count).
    v1::EventStore::Stub& stub(size_t i) const { return *stubs_[i % stubs_.size()]; }
    // KurrentDB's Streams stub of channel `i` (modulo the channel count).
    event_store::client::streams::Streams::Stub& kurrent(size_t i) const {
        return *kurrent_stubs_[i % kurrent_stubs_.size()];
    }

private:
    BenchServer* server_;
    std::vector<std::unique_ptr<v1::EventStore::Stub>> stubs_;
    std::vector<std::unique_ptr<event_store::client::streams::Streams::Stub>> kurrent_stubs_;
};

// The global positions a seeding wrote (inclusive).
struct Seeded {
    uint64_t first_position = 0;
    uint64_t last_position = 0;
};

// Appends `events` events of `payload_bytes` to `streams` (round robin, `batch` events per append,
// a few appends in flight). Throws std::runtime_error when an append fails.
Seeded seed(const Target& target, const std::vector<std::string>& streams, uint64_t events,
            uint32_t payload_bytes, uint32_t batch = 1000);

// Which appends a writing makes: append b (numbered from 0) writes count(b) events to stream(b).
struct AppendPlan {
    std::function<std::string(uint64_t)> stream;
    std::function<uint32_t(uint64_t)> count;
};

// Makes appends [first, last) of `plan`, events of `payload_bytes`, on `threads` threads, each
// with one synchronous Append in flight taking the next append number. Throws
// std::runtime_error when an append fails.
Seeded append_plan(const Target& target, const AppendPlan& plan, uint64_t first, uint64_t last,
                   uint32_t threads, uint32_t payload_bytes);

// Appends one event to `stream` and returns its global position: the head of the log for
// subscriptions that should start there. Throws std::runtime_error when the append fails.
uint64_t append_marker(const Target& target, const std::string& stream, uint32_t payload_bytes);

// A context that gives up after `seconds`, so a stuck server fails the benchmark, not hangs it.
std::unique_ptr<grpc::ClientContext> context_with_deadline(double seconds);

}  // namespace eventstore::bench

#endif
