// The subscription scenarios: catch-up throughput (through eventstore.v1 or KurrentDB's
// Streams.Read; against ReadAll pages of 1,000 with --baseline read-all), and live
// append-to-delivery latency (live; fan-out, with stalled subscribers and the server's memory).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "events.hpp"
#include "scenarios.hpp"
#include "subscriptions.hpp"

namespace eventstore::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kSubscriptionDeadline = 3600;
// How long subscribers may take, after the last append, to receive everything.
constexpr std::chrono::seconds kDrainTimeout{15};
constexpr std::chrono::seconds kSubscribeTimeout{30};
// Events a page of the read-all baseline of catch-up (the server's largest page by default).
constexpr uint32_t kReadAllBaselinePage = 1000;

double seconds_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// What one catch-up subscriber received before caught_up, when, and why it ended without one.
struct CatchUp {
    uint64_t events = 0;
    Clock::time_point caught_up;
    std::string failure;  // empty: caught up
};

// Reads `reader` until `is_caught_up(message)`, counting `events_in(message)`; then cancels.
template <class Message, class IsCaughtUp, class EventsIn>
CatchUp read_until_caught_up(grpc::ClientContext& context, grpc::ClientReader<Message>& reader,
                             IsCaughtUp is_caught_up, EventsIn events_in) {
    CatchUp result;
    Message message;
    bool caught_up = false;
    while (reader.Read(&message) && !(caught_up = is_caught_up(message))) {
        result.events += events_in(message);
    }
    result.caught_up = Clock::now();
    context.TryCancel();
    const grpc::Status status = reader.Finish();
    if (!caught_up) result.failure = "ended: " + status.error_message();
    return result;
}

// eventstore.v1's Subscribe after `after`.
CatchUp v1_catch_up(v1::EventStore::Stub& stub, uint64_t after, uint32_t max_batch) {
    auto context = context_with_deadline(kSubscriptionDeadline);
    v1::SubscribeRequest request;
    request.set_after_global_position(after);
    request.set_max_batch_events(max_batch);
    auto reader = stub.Subscribe(context.get(), request);
    return read_until_caught_up(
        *context, *reader, [](const v1::SubscribeResponse& m) { return m.has_caught_up(); },
        [](const v1::SubscribeResponse& m) {
            return for_each_event(m, [](const v1::RecordedEvent&) {});
        });
}

// KurrentDB's Streams.Read as the official clients subscribe to $all without a filter (Node
// subscribeToAll, Python subscribe_to_all with filter_exclude=()): all after `after` (a
// subscription's position is exclusive; from the start for 0), forwards, string ids, one event a
// message after the confirmation.
CatchUp kurrent_catch_up(event_store::client::streams::Streams::Stub& stub, uint64_t after) {
    using event_store::client::streams::ReadResp;
    auto context = context_with_deadline(kSubscriptionDeadline);
    event_store::client::streams::ReadReq request;
    auto& options = *request.mutable_options();
    if (after == 0) {
        options.mutable_all()->mutable_start();
    } else {
        options.mutable_all()->mutable_position()->set_commit_position(after);
        options.mutable_all()->mutable_position()->set_prepare_position(after);
    }
    options.set_read_direction(event_store::client::streams::ReadReq::Options::Forwards);
    options.mutable_subscription();
    options.mutable_no_filter();
    options.mutable_uuid_option()->mutable_string();
    auto reader = stub.Read(context.get(), request);
    return read_until_caught_up(
        *context, *reader, [](const ReadResp& m) { return m.has_caught_up(); },
        [](const ReadResp& m) -> uint64_t { return m.has_event(); });
}

// `subscribers` subscriptions from `after` through `protocol`, each read until caught_up.
RunFigures catch_up_run(Target& target, Protocol protocol, uint64_t after, uint32_t subscribers,
                        uint64_t expected, uint32_t max_batch) {
    std::vector<CatchUp> results(subscribers);
    CpuMeter cpu(target.server());
    MetricsWindow metrics(target.server());
    const auto begin = Clock::now();
    std::vector<std::thread> threads;
    for (uint32_t i = 0; i < subscribers; ++i) {
        threads.emplace_back([&, i] {
            results[i] = protocol == Protocol::kurrent ? kurrent_catch_up(target.kurrent(i), after)
                                                       : v1_catch_up(target.stub(i), after, max_batch);
        });
    }
    for (std::thread& thread : threads) thread.join();
    cpu.stop();
    metrics.stop();
    RunFigures figures;
    for (uint32_t i = 0; i < subscribers; ++i) {
        if (!results[i].failure.empty() || results[i].events < expected) {
            throw std::runtime_error("catch-up subscriber " + std::to_string(i) + " (" +
                                     protocol_name(protocol) + ") received " +
                                     std::to_string(results[i].events) + " of " +
                                     std::to_string(expected) + " events " + results[i].failure);
        }
        figures.seconds = std::max(figures.seconds, seconds_between(begin, results[i].caught_up));
        figures.events += results[i].events;
    }
    figures.calls = subscribers;
    cpu.report(figures);
    // subscription_reads: the pages the subscribers were offered, here (nobody live, so the
    // shared tail reads nothing) each one a backend read_all of their own catch-up.
    metrics.report(figures);
    return figures;
}

// An append in flight from the pacer.
struct PendingAppend {
    Clock::time_point sent;
    grpc::ClientContext context;
    v1::AppendRequest request;
    v1::AppendResponse response;
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncResponseReader<v1::AppendResponse>> reader;
};

// The server's largest RSS over a run, sampled every 100 ms on a thread of its own.
class RssPeak {
public:
    explicit RssPeak(const BenchServer& server) : server_(server) {
        thread_ = std::thread([this] {
            std::unique_lock lock(mutex_);
            do {
                peak_ = std::max(peak_, server_.rss_bytes().value_or(0));
            } while (!stop_.wait_for(lock, std::chrono::milliseconds(100), [&] { return stopped_; }));
        });
    }
    ~RssPeak() { stop(); }
    uint64_t stop() {
        {
            std::lock_guard lock(mutex_);
            stopped_ = true;
        }
        stop_.notify_all();
        if (thread_.joinable()) thread_.join();
        return peak_;
    }

private:
    const BenchServer& server_;
    std::mutex mutex_;
    std::condition_variable stop_;
    bool stopped_ = false;
    uint64_t peak_ = 0;
    std::thread thread_;
};

// One run of live or fan-out: subscribers on the callback API (subscriptions.hpp) at the head of
// a stream prefix of their own, appends paced at --rate. `stalled` of them, on a connection of
// their own, stop reading once caught up and read again after the appends; the figures (latency,
// every event delivered) are the others', with the stalled ones' apart.
class LiveRun {
public:
    LiveRun(Target& target, const Options& o, uint32_t subscribers, uint32_t stalled,
            uint32_t events, uint32_t max_batch)
        : target_(target), o_(o), healthy_(subscribers - stalled), stalled_(stalled),
          events_(events), max_batch_(max_batch) {
        static std::atomic<int> runs{0};
        stream_ = run_prefix() + "-live-" + std::to_string(++runs);
    }

    RunFigures run() {
        const BenchServer& server = target_.server();
        const uint64_t rss_before = server.rss_bytes().value_or(0);
        v1::SubscribeRequest request;
        request.set_after_global_position(append_marker(target_, stream_ + "-marker", o_.payload_bytes));
        request.set_stream_prefix(stream_);
        request.set_max_batch_events(max_batch_);
        std::vector<Latencies> latencies(healthy_);
        Target healthy_target(target_.server(), subscription_channels(healthy_, o_.channels));
        Subscriptions healthy(healthy_target, request, healthy_,
                              [&](uint32_t i, const v1::RecordedEvent& event) {
                                  const int64_t sent = send_time_of(event.payload());
                                  if (sent < measured_from_ns_.load(std::memory_order_relaxed)) return;
                                  latencies[i].push_back(
                                      static_cast<uint32_t>((monotonic_ns() - sent) / 1000));
                              });
        Target stalled_target(target_.server(), subscription_channels(stalled_, 1));
        std::vector<uint32_t> all_stalled(stalled_);
        std::iota(all_stalled.begin(), all_stalled.end(), 0);
        Subscriptions stalled(stalled_target, request, stalled_, {}, all_stalled);
        const auto subscribe_deadline = Clock::now() + kSubscribeTimeout;
        if (!healthy.wait_caught_up(subscribe_deadline) || !stalled.wait_caught_up(subscribe_deadline)) {
            throw std::runtime_error("live: subscribers not caught up within 30 s " +
                                     healthy.failure() + stalled.failure());
        }

        RssPeak rss_peak(server);
        CpuMeter cpu(server);
        MetricsWindow metrics(server);
        RunFigures figures = pace();
        const uint64_t expected = acked_ * events_;
        healthy.wait_received(expected, Clock::now() + kDrainTimeout);
        cpu.stop();
        metrics.stop();
        const uint64_t peak = rss_peak.stop();
        for (uint32_t i = 0; i < stalled_; ++i) stalled.resume(i);
        const bool stalled_done = stalled.wait_received(expected, Clock::now() + kDrainTimeout);
        healthy.cancel();
        stalled.cancel();

        Latencies all;
        uint64_t least = UINT64_MAX;
        uint32_t out_of_order = 0;
        for (uint32_t i = 0; i < healthy_; ++i) {
            all.insert(all.end(), latencies[i].begin(), latencies[i].end());
            least = std::min(least, healthy.received(i));
            figures.events += healthy.received(i);
            out_of_order += !healthy.in_order(i);
        }
        figures.summarise(all);
        cpu.report(figures);
        metrics.report(figures);
        const auto fraction = [&](uint64_t received) {
            return expected == 0 ? 0 : static_cast<double>(received) / static_cast<double>(expected);
        };
        figures.extra["events_sent"] = static_cast<double>(expected);
        figures.extra["delivered_fraction_min"] = fraction(least);
        figures.extra["out_of_order"] = out_of_order;
        if (stalled_ > 0) {
            uint64_t stalled_least = UINT64_MAX;
            bool in_order = true;
            for (uint32_t i = 0; i < stalled_; ++i) {
                stalled_least = std::min(stalled_least, stalled.received(i));
                in_order = in_order && stalled.in_order(i);
            }
            figures.extra["stalled_delivered_fraction"] = fraction(stalled_least);
            figures.extra["stalled_in_order"] = in_order;
            figures.extra["stalled_drained"] = stalled_done;
        }
        if (rss_before > 0) {
            figures.extra["rss_before_mib"] = static_cast<double>(rss_before) / kMiB;
            figures.extra["rss_peak_mib"] = static_cast<double>(peak) / kMiB;
            figures.extra["rss_growth_mib"] =
                (static_cast<double>(peak) - static_cast<double>(rss_before)) / kMiB;
        }
        return figures;
    }

private:
    // Appends at --rate per second for --warmup and then --duration, open loop (a late reply
    // delays nothing). Only the events sent after the warm-up count for latency: the first
    // fraction of a second (connections' flow-control windows and the allocators growing) is not
    // the steady state the figures describe.
    RunFigures pace() {
        grpc::CompletionQueue cq;
        std::atomic<uint64_t> sent{0};
        std::string failure;
        Latencies append_latencies;
        const auto begin = Clock::now();
        const auto measured_from = begin + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(o_.warmup_s));
        const auto end = measured_from + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(o_.duration_s));
        std::thread completions([&] {
            void* tag = nullptr;
            bool ok = false;
            while (cq.Next(&tag, &ok)) {
                std::unique_ptr<PendingAppend> done(static_cast<PendingAppend*>(tag));
                if (!done->status.ok() && failure.empty()) failure = done->status.error_message();
                if (done->sent >= measured_from) {
                    append_latencies.push_back(static_cast<uint32_t>(
                        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() -
                                                                              done->sent)
                            .count()));
                }
                ++acked_;
            }
        });
        bool measuring = false;
        const auto interval = std::chrono::duration<double>(1 / o_.rate);
        for (uint64_t k = 0;; ++k) {
            const auto due = begin + std::chrono::duration_cast<Clock::duration>(interval * k);
            if (due >= end) break;
            std::this_thread::sleep_until(due);
            if (!measuring && due >= measured_from) {
                measuring = true;
                measured_from_ns_.store(monotonic_ns(), std::memory_order_relaxed);
            }
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
        while (acked_ < sent && Clock::now() < stopped + kDrainTimeout) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
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

    Target& target_;
    const Options& o_;
    const uint32_t healthy_;
    const uint32_t stalled_;
    const uint32_t events_;
    const uint32_t max_batch_;
    std::string stream_;
    std::atomic<uint64_t> acked_{0};
    // Events sent before this (monotonic_ns) are the warm-up's: no latency is taken of them.
    std::atomic<int64_t> measured_from_ns_{INT64_MAX};
};

}  // namespace

std::vector<Point> run_catch_up(Bench& bench) {
    const Options& o = bench.options;
    const std::vector<std::string> streams{run_prefix() + "-catch-up"};
    const Seeded project_range = seed(bench.project, streams, o.seed_events, o.payload_bytes);
    Seeded peer_range;
    if (bench.peer) peer_range = seed(*bench.peer, streams, o.seed_events, o.payload_bytes);
    const bool read_all = o.baseline == Baseline::read_all;
    const bool v1_baseline = o.baseline == Baseline::v1;
    std::vector<Point> points;
    for (uint32_t subscribers : o.concurrency) {
        for (uint32_t max_batch : o.max_batch_events) {
            Point point{"catch-up", bench.project.server().label(),
                        {{"subscribers", subscribers},
                         {"payload", o.payload_bytes},
                         {"max_batch_events", max_batch},
                         {"seed_events", static_cast<double>(o.seed_events)}}};
            point.protocol = protocol_name(o.protocol);
            if (bench.peer) point.baseline = bench.peer->server().label();
            if (read_all) point.baseline = "read-all";
            if (v1_baseline) point.baseline = protocol_name(Protocol::v1);
            for (uint32_t r = 0; r < o.repeats; ++r) {
                point.runs.push_back(catch_up_run(bench.project, o.protocol,
                                                  project_range.first_position - 1, subscribers,
                                                  o.seed_events, max_batch));
                if (bench.peer) {
                    point.baseline_runs.push_back(catch_up_run(*bench.peer, o.protocol,
                                                               peer_range.first_position - 1,
                                                               subscribers, o.seed_events, max_batch));
                }
                if (v1_baseline) {
                    point.baseline_runs.push_back(catch_up_run(bench.project, Protocol::v1,
                                                               project_range.first_position - 1,
                                                               subscribers, o.seed_events, max_batch));
                }
                if (read_all) {
                    // As many readers as subscribers, each paging through the same events.
                    std::vector<std::unique_ptr<CallSlot>> slots;
                    for (uint32_t i = 0; i < subscribers; ++i) {
                        slots.push_back(read_all_slot(bench.project.stub(i), project_range,
                                                      kReadAllBaselinePage,
                                                      project_range.first_position - 1));
                    }
                    point.baseline_runs.push_back(run_closed_loop(
                        slots, o.warmup_s, o.duration_s, bench.project.server()));
                }
            }
            announce(point);
            points.push_back(std::move(point));
        }
    }
    return points;
}

std::vector<Point> run_live(const std::string& name, Bench& bench) {
    const Options& o = bench.options;
    const bool fan_out = name == "fan-out";
    const std::vector<uint32_t> stalled = fan_out ? o.stalled : std::vector<uint32_t>{0};
    std::vector<Point> points;
    for (uint32_t subscribers : o.subscribers) {
        for (uint32_t events : o.events_per_append) {
            for (uint32_t max_batch : o.max_batch_events) {
                for (uint32_t stall : stalled) {
                    std::map<std::string, double> parameters{{"subscribers", subscribers},
                                                             {"rate", o.rate},
                                                             {"events_per_append", events},
                                                             {"max_batch_events", max_batch},
                                                             {"payload", o.payload_bytes}};
                    if (fan_out) parameters["stalled"] = stall;
                    Point point{name, bench.project.server().label(), std::move(parameters)};
                    for (uint32_t r = 0; r < o.repeats; ++r) {
                        point.runs.push_back(
                            LiveRun(bench.project, o, subscribers, stall, events, max_batch).run());
                    }
                    announce(point);
                    points.push_back(std::move(point));
                }
            }
        }
    }
    return points;
}

}  // namespace eventstore::bench
