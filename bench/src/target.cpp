#include "target.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "events.hpp"

namespace eventstore::bench {
namespace {

constexpr uint32_t kSeedThreads = 4;
constexpr double kSeedCallDeadline = 120;

}  // namespace

Target::Target(BenchServer& server, uint32_t channels) : server_(&server) {
    for (uint32_t i = 0; i < channels; ++i) {
        grpc::ChannelArguments args;
        // Distinct arguments and a local pool: every channel opens its own connection.
        args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
        args.SetInt("eventstore.bench.channel", static_cast<int>(i));
        args.SetMaxReceiveMessageSize(-1);
        const auto channel =
            grpc::CreateCustomChannel(server.address(), grpc::InsecureChannelCredentials(), args);
        stubs_.push_back(v1::EventStore::NewStub(channel));
        kurrent_stubs_.push_back(event_store::client::streams::Streams::NewStub(channel));
    }
}

std::unique_ptr<grpc::ClientContext> context_with_deadline(double seconds) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::duration<double>(seconds)));
    return context;
}

uint64_t append_marker(const Target& target, const std::string& stream, uint32_t payload_bytes) {
    v1::AppendRequest request;
    v1::AppendResponse response;
    fill_append(request, stream, 1, payload_bytes);
    const grpc::Status status =
        target.stub(0).Append(context_with_deadline(kSeedCallDeadline).get(), request, &response);
    if (!status.ok()) throw std::runtime_error("marker append failed: " + status.error_message());
    return response.last_global_position();
}

Seeded seed(const Target& target, const std::vector<std::string>& streams, uint64_t events,
            uint32_t payload_bytes, uint32_t batch) {
    const AppendPlan plan{
        [&](uint64_t b) { return streams[b % streams.size()]; },
        [&](uint64_t b) { return static_cast<uint32_t>(std::min<uint64_t>(batch, events - b * batch)); }};
    return append_plan(target, plan, 0, (events + batch - 1) / batch, kSeedThreads, payload_bytes);
}

Seeded append_plan(const Target& target, const AppendPlan& plan, uint64_t first, uint64_t last,
                   uint32_t threads, uint32_t payload_bytes) {
    std::atomic<uint64_t> next{first};
    std::mutex mutex;
    Seeded seeded{UINT64_MAX, 0};
    std::string failure;
    std::vector<std::thread> running;
    for (uint32_t t = 0; t < threads; ++t) {
        running.emplace_back([&, t] {
            v1::AppendRequest request;
            v1::AppendResponse response;
            for (uint64_t b = next++; b < last; b = next++) {
                fill_append(request, plan.stream(b), plan.count(b), payload_bytes);
                const grpc::Status status =
                    target.stub(t).Append(context_with_deadline(kSeedCallDeadline).get(), request,
                                          &response);
                std::lock_guard lock(mutex);
                if (!status.ok()) {
                    failure = "appending failed: " + status.error_message();
                    next = last;
                    return;
                }
                seeded.first_position = std::min(seeded.first_position, response.first_global_position());
                seeded.last_position = std::max(seeded.last_position, response.last_global_position());
            }
        });
    }
    for (std::thread& thread : running) thread.join();
    if (!failure.empty()) throw std::runtime_error(failure);
    return seeded;
}

}  // namespace eventstore::bench
