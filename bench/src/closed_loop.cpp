#include "closed_loop.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace eventstore::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Completion-queue threads: two share the two cores of the reference machine with the server.
constexpr size_t kDriverThreads = 2;

enum class Phase { warmup, measuring, stopping };

struct SlotState {
    CallSlot* slot = nullptr;
    grpc::CompletionQueue* cq = nullptr;
    std::unique_ptr<grpc::ClientContext> context;
    grpc::Status status;
    Clock::time_point started;
    bool closing = false;  // its long-lived call is ending (CallSlot::close)

    void launch() {
        if (!context || !slot->keeps_call()) context = std::make_unique<grpc::ClientContext>();
        started = Clock::now();
        slot->start(*context, *cq, status, this);
    }
};

struct Tally {
    uint64_t calls = 0;
    uint64_t events = 0;
    Latencies latencies;
};

class Driver {
public:
    Driver(std::vector<std::unique_ptr<CallSlot>>& slots) : queues_(kDriverThreads) {
        for (size_t i = 0; i < slots.size(); ++i) {
            SlotState& state = states_.emplace_back();
            state.slot = slots[i].get();
            state.cq = &queues_[i % queues_.size()];
        }
        in_flight_ = states_.size();
    }

    RunFigures run(double warmup_s, double duration_s, const BenchServer& server) {
        for (SlotState& state : states_) state.launch();
        std::vector<std::thread> threads;
        std::vector<Tally> tallies(queues_.size());
        for (size_t i = 0; i < queues_.size(); ++i) {
            threads.emplace_back([this, i, &tallies] { drive(queues_[i], tallies[i]); });
        }
        std::this_thread::sleep_for(std::chrono::duration<double>(warmup_s));
        const auto begin = Clock::now();
        phase_ = Phase::measuring;
        CpuMeter cpu(server);
        std::this_thread::sleep_for(std::chrono::duration<double>(duration_s));
        phase_ = Phase::stopping;
        const auto end = Clock::now();
        cpu.stop();
        for (std::thread& thread : threads) thread.join();
        if (!failure_.empty()) throw std::runtime_error(failure_);

        RunFigures figures;
        figures.seconds = std::chrono::duration<double>(end - begin).count();
        Latencies latencies;
        for (Tally& tally : tallies) {
            figures.calls += tally.calls;
            figures.events += tally.events;
            latencies.insert(latencies.end(), tally.latencies.begin(), tally.latencies.end());
        }
        figures.summarise(latencies);
        cpu.report(figures);
        return figures;
    }

private:
    // Serves one queue until every slot has stopped, then drains and shuts it down.
    void drive(grpc::CompletionQueue& cq, Tally& tally) {
        void* tag = nullptr;
        bool ok = false;
        while (in_flight_.load() > 0 && cq.Next(&tag, &ok)) {
            auto& state = *static_cast<SlotState*>(tag);
            if (!state.slot->advance(ok)) continue;
            if (state.closing) {
                if (!state.status.ok()) record_failure(state.status);
                retire(state);
                continue;
            }
            const auto now = Clock::now();
            const bool failed = !ok || !state.status.ok();
            if (failed) record_failure(state.status);
            const uint64_t events = failed ? 0 : state.slot->completed();
            if (phase_ == Phase::measuring) {
                ++tally.calls;
                tally.events += events;
                tally.latencies.push_back(static_cast<uint32_t>(
                    std::chrono::duration_cast<std::chrono::microseconds>(now - state.started)
                        .count()));
            }
            if (phase_ == Phase::stopping || failed) {
                state.closing = state.slot->close(&state);
                if (!state.closing) retire(state);
                continue;
            }
            state.launch();
        }
        while (cq.Next(&tag, &ok)) {
        }
    }

    // The slot's last call is over: its context goes, and the last slot shuts the queues down.
    void retire(SlotState& state) {
        state.context.reset();
        if (--in_flight_ == 0) {
            for (auto& queue : queues_) queue.Shutdown();
        }
    }

    void record_failure(const grpc::Status& status) {
        std::lock_guard lock(failure_mutex_);
        if (failure_.empty()) {
            failure_ = "a call failed: " + std::to_string(status.error_code()) + " " +
                       status.error_message();
        }
        phase_ = Phase::stopping;
    }

    std::vector<grpc::CompletionQueue> queues_;
    std::vector<SlotState> states_;
    std::atomic<size_t> in_flight_{0};
    std::atomic<Phase> phase_{Phase::warmup};
    std::mutex failure_mutex_;
    std::string failure_;
};

}  // namespace

RunFigures run_closed_loop(std::vector<std::unique_ptr<CallSlot>>& slots, double warmup_s,
                           double duration_s, const BenchServer& server) {
    Driver driver(slots);
    return driver.run(warmup_s, duration_s, server);
}

}  // namespace eventstore::bench
