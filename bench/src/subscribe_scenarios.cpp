// The subscription scenarios: catch-up throughput, and live append-to-delivery latency.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "events.hpp"
#include "scenarios.hpp"

namespace eventstore::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kSubscriptionDeadline = 3600;
// How long subscribers may take, after the last append, to receive everything.
constexpr std::chrono::seconds kDrainTimeout{15};
constexpr std::chrono::seconds kSubscribeTimeout{30};

double seconds_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// `subscribers` subscriptions from `after`, each read until caught_up.
RunFigures catch_up_run(Target& target, uint64_t after, uint32_t subscribers, uint64_t expected) {
    std::vector<uint64_t> counts(subscribers);
    std::vector<Clock::time_point> ends(subscribers);
    std::vector<std::string> failures(subscribers);
    CpuMeter cpu(target.server());
    const auto begin = Clock::now();
    std::vector<std::thread> threads;
    for (uint32_t i = 0; i < subscribers; ++i) {
        threads.emplace_back([&, i] {
            auto context = context_with_deadline(kSubscriptionDeadline);
            v1::SubscribeRequest request;
            request.set_after_global_position(after);
            auto reader = target.stub(i).Subscribe(context.get(), request);
            v1::SubscribeResponse message;
            while (reader->Read(&message) && !message.has_caught_up()) {
                counts[i] += message.has_event();
            }
            ends[i] = Clock::now();
            context->TryCancel();
            const grpc::Status status = reader->Finish();
            if (!message.has_caught_up()) failures[i] = status.error_message();
        });
    }
    for (std::thread& thread : threads) thread.join();
    cpu.stop();
    for (uint32_t i = 0; i < subscribers; ++i) {
        if (!failures[i].empty() || counts[i] < expected) {
            throw std::runtime_error("catch-up subscriber " + std::to_string(i) + " received " +
                                     std::to_string(counts[i]) + " of " +
                                     std::to_string(expected) + " events: " + failures[i]);
        }
    }
    RunFigures figures;
    figures.seconds = seconds_between(begin, *std::max_element(ends.begin(), ends.end()));
    figures.calls = subscribers;
    for (uint64_t count : counts) figures.events += count;
    cpu.report(figures);
    return figures;
}

// One live subscriber: waits for caught_up, then times every event it receives.
struct LiveSubscriber {
    std::unique_ptr<grpc::ClientContext> context = context_with_deadline(kSubscriptionDeadline);
    std::atomic<uint64_t> received{0};
    Latencies latencies;
    std::string failure;
};

// An append in flight from the pacer.
struct PendingAppend {
    Clock::time_point sent;
    grpc::ClientContext context;
    v1::AppendRequest request;
    v1::AppendResponse response;
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncResponseReader<v1::AppendResponse>> reader;
};

class LiveRun {
public:
    LiveRun(Target& target, const Options& o, uint32_t subscribers, uint32_t events)
        : target_(target), o_(o), subscribers_(subscribers), events_(events) {
        static std::atomic<int> runs{0};
        stream_ = run_prefix() + "-live-" + std::to_string(++runs);
    }

    RunFigures run() {
        v1::AppendRequest marker;
        v1::AppendResponse marked;
        fill_append(marker, stream_ + "-marker", 1, o_.payload_bytes);
        const grpc::Status status =
            target_.stub(0).Append(context_with_deadline(60).get(), marker, &marked);
        if (!status.ok()) throw std::runtime_error("live: marker append failed: " + status.error_message());

        std::vector<std::unique_ptr<LiveSubscriber>> subs;
        std::vector<std::thread> threads;
        for (uint32_t i = 0; i < subscribers_; ++i) {
            subs.push_back(std::make_unique<LiveSubscriber>());
            threads.emplace_back([this, i, &subs, after = marked.last_global_position()] {
                subscribe(*subs[i], i, after);
            });
        }
        const bool ready = wait_until(Clock::now() + kSubscribeTimeout,
                                      [&] { return ready_ == subscribers_; });
        RunFigures figures;
        CpuMeter cpu(target_.server());
        if (ready) figures = pace();
        const uint64_t expected = acked_ * events_;
        wait_until(Clock::now() + kDrainTimeout, [&] {
            return std::all_of(subs.begin(), subs.end(),
                               [&](const auto& s) { return s->received >= expected; });
        });
        cpu.stop();
        for (auto& sub : subs) sub->context->TryCancel();
        for (std::thread& thread : threads) thread.join();
        if (!ready) throw std::runtime_error("live: subscribers not caught up within 30 s");

        Latencies latencies;
        uint64_t least = UINT64_MAX;
        for (auto& sub : subs) {
            latencies.insert(latencies.end(), sub->latencies.begin(), sub->latencies.end());
            least = std::min<uint64_t>(least, sub->received);
            figures.events += sub->received;
        }
        figures.summarise(latencies);
        cpu.report(figures);
        figures.extra["events_sent"] = static_cast<double>(expected);
        figures.extra["delivered_fraction_min"] =
            expected == 0 ? 0 : static_cast<double>(least) / static_cast<double>(expected);
        return figures;
    }

private:
    void subscribe(LiveSubscriber& sub, uint32_t i, uint64_t after) {
        v1::SubscribeRequest request;
        request.set_after_global_position(after);
        request.set_stream_prefix(stream_);
        auto reader = target_.stub(i).Subscribe(sub.context.get(), request);
        v1::SubscribeResponse message;
        while (reader->Read(&message)) {
            if (message.has_caught_up()) {
                std::lock_guard lock(mutex_);
                ++ready_;
                changed_.notify_all();
            } else if (message.has_event()) {
                const int64_t sent = send_time_of(message.event().payload());
                sub.latencies.push_back(static_cast<uint32_t>((monotonic_ns() - sent) / 1000));
                if (++sub.received % 64 == 0) changed_.notify_all();
            }
        }
        reader->Finish();
        changed_.notify_all();
    }

    // Appends at --rate per second for --duration, open loop (a late reply delays nothing).
    RunFigures pace() {
        grpc::CompletionQueue cq;
        std::atomic<uint64_t> sent{0};
        std::string failure;
        Latencies append_latencies;
        std::thread completions([&] {
            void* tag = nullptr;
            bool ok = false;
            while (cq.Next(&tag, &ok)) {
                std::unique_ptr<PendingAppend> done(static_cast<PendingAppend*>(tag));
                if (!done->status.ok() && failure.empty()) failure = done->status.error_message();
                append_latencies.push_back(static_cast<uint32_t>(
                    std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - done->sent)
                        .count()));
                std::lock_guard lock(mutex_);
                ++acked_;
                changed_.notify_all();
            }
        });
        const auto begin = Clock::now();
        const auto end = begin + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(o_.duration_s));
        const auto interval = std::chrono::duration<double>(1 / o_.rate);
        for (uint64_t k = 0;; ++k) {
            const auto due = begin + std::chrono::duration_cast<Clock::duration>(interval * k);
            if (due >= end) break;
            std::this_thread::sleep_until(due);
            auto append = std::make_unique<PendingAppend>();
            fill_append(append->request, stream_, events_, o_.payload_bytes);
            stamp_send_time(append->request);
            append->sent = Clock::now();
            append->reader = target_.stub(k).AsyncAppend(&append->context, append->request, &cq);
            PendingAppend* tag = append.release();
            tag->reader->Finish(&tag->response, &tag->status, tag);
            ++sent;
        }
        const auto stopped = Clock::now();
        wait_until(stopped + kDrainTimeout, [&] { return acked_ == sent; });
        cq.Shutdown();
        completions.join();
        if (!failure.empty()) throw std::runtime_error("live: an append failed: " + failure);
        RunFigures figures;
        figures.seconds = seconds_between(begin, stopped);
        figures.calls = acked_;
        // The appends' own round trip: what the machine's scheduling costs any call, next to
        // the delivery latency.
        if (auto p99 = percentile_ms(append_latencies, 99)) figures.extra["append_p99_ms"] = *p99;
        if (auto p50 = percentile_ms(append_latencies, 50)) figures.extra["append_p50_ms"] = *p50;
        return figures;
    }

    template <class Predicate>
    bool wait_until(Clock::time_point deadline, Predicate done) {
        std::unique_lock lock(mutex_);
        while (!done()) {
            if (changed_.wait_until(lock, std::min(deadline, Clock::now() + std::chrono::milliseconds(50))) ==
                    std::cv_status::timeout &&
                Clock::now() >= deadline) {
                return done();
            }
        }
        return true;
    }

    Target& target_;
    const Options& o_;
    const uint32_t subscribers_;
    const uint32_t events_;
    std::string stream_;
    std::mutex mutex_;
    std::condition_variable changed_;
    uint32_t ready_ = 0;
    uint64_t acked_ = 0;
};

}  // namespace

std::vector<Point> run_catch_up(Bench& bench) {
    const Options& o = bench.options;
    const std::vector<std::string> streams{run_prefix() + "-catch-up"};
    const Seeded project_range = seed(bench.project, streams, o.seed_events, o.payload_bytes);
    Seeded noop_range;
    if (bench.noop) noop_range = seed(*bench.noop, streams, o.seed_events, o.payload_bytes);
    std::vector<Point> points;
    for (uint32_t subscribers : o.concurrency) {
        Point point{"catch-up", bench.project.server().label(),
                    {{"subscribers", subscribers},
                     {"payload", o.payload_bytes},
                     {"seed_events", static_cast<double>(o.seed_events)}}};
        if (bench.noop) point.baseline = "noop";
        for (uint32_t r = 0; r < o.repeats; ++r) {
            point.runs.push_back(catch_up_run(bench.project, project_range.first_position - 1,
                                              subscribers, o.seed_events));
            if (bench.noop) {
                point.baseline_runs.push_back(catch_up_run(
                    *bench.noop, noop_range.first_position - 1, subscribers, o.seed_events));
            }
        }
        announce(point);
        points.push_back(std::move(point));
    }
    return points;
}

std::vector<Point> run_live(Bench& bench) {
    const Options& o = bench.options;
    std::vector<Point> points;
    for (uint32_t subscribers : o.subscribers) {
        for (uint32_t events : o.events_per_append) {
            Point point{"live", bench.project.server().label(),
                        {{"subscribers", subscribers},
                         {"rate", o.rate},
                         {"events_per_append", events},
                         {"payload", o.payload_bytes}}};
            for (uint32_t r = 0; r < o.repeats; ++r) {
                point.runs.push_back(LiveRun(bench.project, o, subscribers, events).run());
            }
            announce(point);
            points.push_back(std::move(point));
        }
    }
    return points;
}

}  // namespace eventstore::bench
