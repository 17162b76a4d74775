// The append scenarios: distinct streams, one hot stream, Zipf-distributed streams. Each call
// appends --events-per-append events with expected version `any`, through eventstore.v1's Append
// or (--protocol kurrent) KurrentDB's Streams.Append, or its Streams.BatchAppend
// (--kurrent-append batch).
#include <cmath>
#include <random>

#include "events.hpp"
#include "scenarios.hpp"

namespace eventstore::bench {
namespace {

// Picks the stream of the next append.
using StreamChooser = std::function<const std::string&()>;

class AppendSlot final
    : public UnarySlot<v1::EventStore::Stub, v1::AppendRequest, v1::AppendResponse> {
public:
    AppendSlot(v1::EventStore::Stub& stub, StreamChooser streams, uint32_t events,
               uint32_t payload_bytes)
        : UnarySlot(stub, &v1::EventStore::Stub::AsyncAppend),
          streams_(std::move(streams)),
          events_(events),
          payload_(payload_bytes) {}

    uint64_t completed() override { return events_; }

private:
    void prepare(v1::AppendRequest& request) override {
        fill_append(request, streams_(), events_, payload_);
    }

    StreamChooser streams_;
    const uint32_t events_;
    const uint32_t payload_;
};

// KurrentDB's Streams.Append, as the official clients call it for appendToStream (Node always
// without ServerFeatures, Python for one event): a client stream of the options, then one
// proposed message per event, half-closed with the last; the answer must be a success. Steps on
// the queue: the options (the call's start and metadata corked into it, itself buffered into the
// next write), each event (the last with the half-close), finish.
class KurrentAppendSlot final : public CallSlot {
public:
    KurrentAppendSlot(event_store::client::streams::Streams::Stub& stub, StreamChooser streams,
                      uint32_t events, uint32_t payload_bytes)
        : stub_(stub), streams_(std::move(streams)), events_(events), payload_(payload_bytes) {}

    void start(grpc::ClientContext& context, grpc::CompletionQueue& cq, grpc::Status& status,
               void* tag) override {
        fill_kurrent_append(messages_, streams_(), events_, payload_);
        response_.Clear();
        status_ = &status;
        tag_ = tag;
        written_ = 0;
        finishing_ = false;
        // Corked: StartCall returns no tag, the metadata leaves with the first write.
        context.set_initial_metadata_corked(true);
        writer_ = stub_.PrepareAsyncAppend(&context, &response_, &cq);
        writer_->StartCall(tag);
        advance(true);
    }

    bool advance(bool ok) override {
        if (finishing_) {
            writer_.reset();  // it lives in the call's arena: before the context goes
            if (status_->ok() && !response_.has_success()) {
                *status_ = grpc::Status(grpc::StatusCode::UNKNOWN,
                                        "AppendResp is not a success: " + response_.ShortDebugString());
            }
            return true;
        }
        if (!ok || written_ == messages_.size()) {
            finishing_ = true;
            writer_->Finish(status_, tag_);
        } else if (++written_ == messages_.size()) {
            writer_->WriteLast(messages_[written_ - 1], grpc::WriteOptions(), tag_);
        } else {
            writer_->Write(messages_[written_ - 1], grpc::WriteOptions().set_buffer_hint(), tag_);
        }
        return false;
    }

    uint64_t completed() override { return events_; }

private:
    event_store::client::streams::Streams::Stub& stub_;
    StreamChooser streams_;
    const uint32_t events_;
    const uint32_t payload_;
    std::vector<event_store::client::streams::AppendReq> messages_;
    event_store::client::streams::AppendResp response_;
    std::unique_ptr<grpc::ClientAsyncWriter<event_store::client::streams::AppendReq>> writer_;
    grpc::Status* status_ = nullptr;
    void* tag_ = nullptr;
    size_t written_ = 0;  // messages handed to the writer in this call
    bool finishing_ = false;
};

// KurrentDB's Streams.BatchAppend, as the Node client appends once the server's ServerFeatures
// lists it: one long-lived stream per slot (a client), one append a message (is_final), the next
// sent when the answer to the last has arrived; the answer must be a success for its correlation
// id. Steps on the queue: the stream's start (its first call only), the write, the read of the
// answer; at close, writes done, then finish.
class KurrentBatchAppendSlot final : public CallSlot {
public:
    KurrentBatchAppendSlot(event_store::client::streams::Streams::Stub& stub,
                           StreamChooser streams, uint32_t events, uint32_t payload_bytes)
        : stub_(stub), streams_(std::move(streams)), events_(events), payload_(payload_bytes) {}

    void start(grpc::ClientContext& context, grpc::CompletionQueue& cq, grpc::Status& status,
               void* tag) override {
        fill_kurrent_batch_append(request_, streams_(), events_, payload_);
        status_ = &status;
        tag_ = tag;
        if (stream_) return write();
        step_ = Step::starting;
        stream_ = stub_.PrepareAsyncBatchAppend(&context, &cq);
        stream_->StartCall(tag);
    }

    bool advance(bool ok) override {
        if (!ok && step_ != Step::writes_done && step_ != Step::finishing) {
            *status_ = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                    "the BatchAppend stream ended before its answer");
            return true;
        }
        switch (step_) {
        case Step::starting: write(); return false;
        case Step::writing:
            step_ = Step::reading;
            stream_->Read(&response_, tag_);
            return false;
        case Step::reading:
            if (!response_.has_success() ||
                response_.correlation_id().string() != request_.correlation_id().string()) {
                *status_ = grpc::Status(grpc::StatusCode::UNKNOWN,
                                        "BatchAppendResp is not the append's success: " +
                                            response_.ShortDebugString());
            }
            return true;
        case Step::writes_done:
            step_ = Step::finishing;
            stream_->Finish(status_, tag_);
            return false;
        case Step::finishing: stream_.reset(); return true;
        }
        return true;
    }

    uint64_t completed() override { return events_; }
    bool keeps_call() const override { return true; }

    bool close(void* tag) override {
        if (!stream_) return false;
        tag_ = tag;
        step_ = Step::writes_done;
        stream_->WritesDone(tag);
        return true;
    }

private:
    enum class Step { starting, writing, reading, writes_done, finishing };

    void write() {
        step_ = Step::writing;
        stream_->Write(request_, tag_);
    }

    event_store::client::streams::Streams::Stub& stub_;
    StreamChooser streams_;
    const uint32_t events_;
    const uint32_t payload_;
    event_store::client::streams::BatchAppendReq request_;
    event_store::client::streams::BatchAppendResp response_;
    std::unique_ptr<grpc::ClientAsyncReaderWriter<event_store::client::streams::BatchAppendReq,
                                                  event_store::client::streams::BatchAppendResp>>
        stream_;
    grpc::Status* status_ = nullptr;
    void* tag_ = nullptr;
    Step step_ = Step::starting;
};

// A Zipf draw over a fixed set of streams, one generator per slot.
class ZipfStreams {
public:
    ZipfStreams(std::shared_ptr<const std::vector<std::string>> names, double exponent,
                uint32_t seed)
        : names_(std::move(names)), random_(seed) {
        std::vector<double> weights;
        for (size_t k = 1; k <= names_->size(); ++k) weights.push_back(1 / std::pow(k, exponent));
        draw_ = std::discrete_distribution<size_t>(weights.begin(), weights.end());
    }
    const std::string& operator()() { return (*names_)[draw_(random_)]; }

private:
    std::shared_ptr<const std::vector<std::string>> names_;
    std::mt19937 random_;
    std::discrete_distribution<size_t> draw_;
};

std::string stream_name(const std::string& scenario, uint32_t k) {
    return run_prefix() + "-" + scenario + "-" + std::to_string(k);
}

// The stream choice of slot `slot`; `zipf_names` are the streams of append-zipf.
StreamChooser chooser(const std::string& scenario, const Options& o, uint32_t slot,
                      const std::shared_ptr<const std::vector<std::string>>& zipf_names) {
    if (scenario == "append-zipf") return ZipfStreams(zipf_names, o.zipf_exponent, slot + 1);
    return [name = stream_name(scenario, scenario == "append-hot" ? 0 : slot)]()
               -> const std::string& { return name; };
}

Point measure_against_baseline(const std::string& scenario, Bench& bench,
                              std::map<std::string, double> parameters, const SlotFactory& slots,
                              uint32_t clients, uint32_t events) {
    const Options& o = bench.options;
    Point point{scenario, bench.project.server().label(), std::move(parameters)};
    point.protocol = load_name(o);
    point.baseline = bench.append_baseline->name();
    for (uint32_t r = 0; r < o.repeats; ++r) {
        auto project_slots = slots(bench.project, o.protocol);
        point.runs.push_back(run_closed_loop(project_slots, o.warmup_s, o.duration_s,
                                             bench.project.server()));
        point.baseline_runs.push_back(
            bench.append_baseline->run(clients, events, o.payload_bytes, o.duration_s));
    }
    announce(point);
    return point;
}

}  // namespace

std::vector<Point> run_append(const std::string& name, Bench& bench) {
    const Options& o = bench.options;
    auto zipf_names = std::make_shared<std::vector<std::string>>();
    for (uint32_t k = 0; k < o.zipf_streams; ++k) zipf_names->push_back(stream_name(name, k));
    std::vector<Point> points;
    for (uint32_t concurrency : o.concurrency) {
        for (uint32_t events : o.events_per_append) {
            const SlotFactory slots = [&, concurrency, events](Target& target, Protocol protocol) {
                std::vector<std::unique_ptr<CallSlot>> made;
                for (uint32_t i = 0; i < concurrency; ++i) {
                    if (protocol == Protocol::kurrent && o.kurrent_batch_append) {
                        made.push_back(std::make_unique<KurrentBatchAppendSlot>(
                            target.kurrent(i), chooser(name, o, i, zipf_names), events,
                            o.payload_bytes));
                    } else if (protocol == Protocol::kurrent) {
                        made.push_back(std::make_unique<KurrentAppendSlot>(
                            target.kurrent(i), chooser(name, o, i, zipf_names), events,
                            o.payload_bytes));
                    } else {
                        made.push_back(std::make_unique<AppendSlot>(
                            target.stub(i), chooser(name, o, i, zipf_names), events,
                            o.payload_bytes));
                    }
                }
                return made;
            };
            std::map<std::string, double> parameters{{"concurrency", concurrency},
                                                     {"events_per_append", events},
                                                     {"payload", o.payload_bytes}};
            points.push_back(bench.append_baseline
                                 ? measure_against_baseline(name, bench, parameters, slots,
                                                            concurrency, events)
                                 : measure_closed_loop(name, bench, parameters, slots));
        }
    }
    return points;
}

}  // namespace eventstore::bench
