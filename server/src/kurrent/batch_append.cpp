// BatchAppend: requests grouped by correlation id, each group an append of its own once its
// `is_final` request arrives, several groups interleaved on one call (KurrentDB's
// Streams.BatchAppend.cs). A group starts with a request holding options; its append is admitted
// by the core (EventStoreService::admit_append) and handed to the store without a thread that
// waits; each group is answered with one BatchAppendResp, success or a google.rpc.Status with
// KurrentDB's detail. The call ends once the client half-closed and every final group is answered;
// groups the client never finished are dropped, as KurrentDB drops them.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <set>

#include "kurrent/errors.hpp"
#include "kurrent/streams_service.hpp"
#include "kurrent/translate.hpp"
#include "security/auth.hpp"

namespace eventstore::server::kurrent {

namespace {

using Request = proto::BatchAppendReq;
using Response = proto::BatchAppendResp;

// The expected_stream_position oneof of a batch's options; nothing for an unset or unknown case.
std::optional<ExpectedRevision> expected_of_batch(const Request::Options& options) {
    using Kind = ExpectedRevision::Kind;
    switch (options.expected_stream_position_case()) {
    case Request::Options::kStreamPosition: return ExpectedRevision{Kind::revision, options.stream_position()};
    case Request::Options::kNoStream: return ExpectedRevision{Kind::no_stream, 0};
    case Request::Options::kAny: return ExpectedRevision{Kind::any, 0};
    case Request::Options::kStreamExists: return ExpectedRevision{Kind::stream_exists, 0};
    default: return std::nullopt;
    }
}

void echo_expected(const ExpectedRevision& expected, Response& out) {
    switch (expected.kind) {
    case ExpectedRevision::Kind::revision: out.set_stream_position(expected.revision); break;
    case ExpectedRevision::Kind::no_stream: out.mutable_no_stream(); break;
    case ExpectedRevision::Kind::any: out.mutable_any(); break;
    case ExpectedRevision::Kind::stream_exists: out.mutable_stream_exists(); break;
    }
}

// WrongExpectedVersion as BatchAppend answers it (KurrentDB's Status.WrongExpectedVersion).
google::rpc::Status wrong_expected_version(const ExpectedRevision& expected, uint64_t actual_version) {
    event_store::client::WrongExpectedVersion detail;
    if (actual_version == 0) {
        detail.mutable_current_no_stream();
    } else {
        detail.set_current_stream_revision(revision_of(actual_version));
    }
    switch (expected.kind) {
    case ExpectedRevision::Kind::revision: detail.set_expected_stream_position(expected.revision); break;
    case ExpectedRevision::Kind::no_stream: detail.mutable_expected_no_stream(); break;
    case ExpectedRevision::Kind::any: detail.mutable_expected_any(); break;
    case ExpectedRevision::Kind::stream_exists: detail.mutable_expected_stream_exists(); break;
    }
    google::rpc::Status out;
    out.set_code(grpc::StatusCode::ALREADY_EXISTS);
    out.set_message("WrongExpectedVersion");
    out.add_details()->PackFrom(detail);
    return out;
}

Refusal bad_batch(std::string message) {
    Refusal refusal;
    refusal.kind = Refusal::Kind::bad_request;
    refusal.text = std::move(message);
    return refusal;
}

// The deadline a batch's options ask for, in microseconds from now (nothing: none asked).
std::optional<int64_t> requested_timeout_us(const Request::Options& options) {
    // Seconds past this are "no deadline" (Python's client sends the largest Duration it can).
    constexpr int64_t kFarSeconds = int64_t{1} << 40;
    const auto us = [](int64_t seconds, int32_t nanos) -> std::optional<int64_t> {
        if (seconds >= kFarSeconds) return std::nullopt;
        return std::max(seconds, -kFarSeconds) * 1'000'000 + nanos / 1000;
    };
    switch (options.deadline_option_case()) {
    case Request::Options::kDeadline:
        return us(options.deadline().seconds(), options.deadline().nanos());
    case Request::Options::kDeadline21100: {
        const auto at = us(options.deadline_21_10_0().seconds(), options.deadline_21_10_0().nanos());
        if (!at) return std::nullopt;
        return *at - std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    }
    default: return std::nullopt;
    }
}

class BatchAppendReactor;

// One group from its options to its append's answer.
struct Batch {
    event_store::client::UUID correlation;
    event_store::client::StreamIdentifier stream;
    ExpectedRevision expected;
    std::optional<int64_t> timeout_us;
    uint64_t bytes = 0;
    v1::AppendRequest request;
};

// A final group's append in the store. Deletes itself at release().
class BatchOp final : public loader::AsyncAppend {
public:
    BatchOp(BatchAppendReactor& reactor, Batch batch) : reactor_(reactor), batch_(std::move(batch)) {}

    const es_append_request& abi_request() const override { return append_.request(); }
    void complete(const Status& status, const es_append_result& result) override;
    void release() override { delete this; }

    Batch& batch() { return batch_; }
    Caller& caller() { return caller_; }
    abi::AppendBuilder& append() { return append_; }

private:
    ~BatchOp() = default;

    BatchAppendReactor& reactor_;
    Batch batch_;
    Caller caller_;
    abi::AppendBuilder append_;
};

// One BatchAppend call. Reads one request at a time; answers go through a queue, one write in
// flight; finishes once reads ended, no append is in the store and the queue is written. Deleted
// by OnDone.
class BatchAppendReactor final : public grpc::ServerBidiReactor<Request, Response> {
public:
    BatchAppendReactor(EventStoreService& core, loader::Store& store, const Config& config,
                       grpc::CallbackServerContext& context)
        : core_(core), store_(store), config_(config), context_(context) {
        std::lock_guard lock(read_mutex_);
        StartRead(&request_);
    }

    void OnReadDone(bool ok) override {
        if (!ok) {
            {
                std::lock_guard lock(mutex_);
                reads_done_ = true;
            }
            return pump();
        }
        std::lock_guard lock(read_mutex_);
        take(request_);
        StartRead(&request_);
    }

    void OnWriteDone(bool ok) override {
        {
            std::lock_guard lock(mutex_);
            writing_ = false;
            if (!ok) {
                write_failed_ = true;
                queue_.clear();
            }
        }
        pump();
    }

    void OnDone() override {
        // gRPC runs OnDone after the Finish that pump called once it released the mutex; taking
        // it makes that order one ThreadSanitizer sees too (gRPC's own is not instrumented).
        { std::lock_guard lock(mutex_); }
        delete this;
    }

    // A BatchOp's answer (from the store's thread).
    void answered(Batch& batch, const Caller& caller, const Status& status,
                  const es_append_result& result) {
        Response response = head(batch);
        if (status.code() == Code::failed_precondition) {
            if (result.tombstoned) {
                Refusal deleted;
                deleted.kind = Refusal::Kind::stream_deleted;
                deleted.text = batch.request.stream_id();
                *response.mutable_error() = batch_error(context_, deleted);
            } else {
                *response.mutable_error() = wrong_expected_version(batch.expected, result.actual_version);
            }
        } else if (!status.ok()) {
            *response.mutable_error() = batch_error(
                context_, classify(Authorizer::visible_append_failure(caller, status),
                                   config_.limits.max_append_bytes, true));
        } else {
            Response::Success* success = response.mutable_success();
            success->set_current_revision(revision_of(result.current_version));
            success->mutable_position()->set_commit_position(result.last_global_position);
            success->mutable_position()->set_prepare_position(result.last_global_position);
        }
        {
            std::lock_guard lock(mutex_);
            if (!write_failed_) queue_.push_back(std::move(response));
        }
        // The append leaves the count in pump, under the lock that decides to finish: until then
        // the call cannot end under this thread.
        pump(1);
    }

private:
    static Response head(const Batch& batch) {
        Response response;
        *response.mutable_correlation_id() = batch.correlation;
        *response.mutable_stream_identifier() = batch.stream;
        echo_expected(batch.expected, response);
        return response;
    }

    void take(Request& request) {
        auto correlation = uuid_text(request.correlation_id(), "correlation_id");
        if (!correlation.ok()) return refuse(request, bad_batch(correlation.status().message()));
        const std::string& key = correlation.value();
        if (refused_.count(key) != 0) {
            // A group already answered with an error: the rest of it is dropped, as KurrentDB does.
            if (request.is_final()) refused_.erase(key);
            return;
        }
        auto open = open_.find(key);
        if (open == open_.end()) {
            if (!request.has_options()) {
                return refuse(request, bad_batch("the first BatchAppendReq of correlation " + key +
                                                 " must hold options"));
            }
            auto started = start(request);
            if (!started.ok()) {
                return refuse(request, started.status().code() == Code::invalid_argument
                                           ? bad_batch(started.status().message())
                                           : classify(started.status(), config_.limits.max_append_bytes,
                                                      false));
            }
            open = open_.emplace(key, std::move(started.value())).first;
        }
        Batch& batch = open->second;
        for (auto& message : *request.mutable_proposed_messages()) {
            const int index = batch.request.events_size();
            auto refusal = take_event(message, index, batch.request.add_events());
            if (!refusal) refusal = past_append_limits(batch.request, batch.bytes, config_.limits);
            if (refusal) {
                Response response = head(batch);
                *response.mutable_error() = batch_error(context_, *refusal);
                open_.erase(open);
                if (!request.is_final()) refused_.insert(key);
                return send(std::move(response));
            }
        }
        if (!request.is_final()) return;
        Batch final_batch = std::move(batch);
        open_.erase(open);
        submit(std::move(final_batch));
    }

    // A new group from the options of its first request.
    Result<Batch> start(const Request& request) {
        const Request::Options& options = request.options();
        if (!options.has_stream_identifier()) {
            return Status(Code::invalid_argument, "Required field StreamIdentifier not set.");
        }
        const auto expected = expected_of_batch(options);
        if (!expected) {
            return Status(Code::invalid_argument,
                          "options.expected_stream_position must be one of stream_position, "
                          "no_stream, any, stream_exists");
        }
        Batch batch;
        batch.correlation = request.correlation_id();
        batch.stream = options.stream_identifier();
        batch.expected = *expected;
        batch.timeout_us = requested_timeout_us(options);
        batch.request.set_stream_id(stream_of(options.stream_identifier()));
        if (Status s = check_not_system_stream(batch.request.stream_id()); !s.ok()) return s;
        if (Status s = to_expected_version(batch.expected, batch.request.mutable_expected_version());
            !s.ok()) {
            return s;
        }
        return batch;
    }

    void submit(Batch batch) {
        if (batch.timeout_us && *batch.timeout_us <= 0) {
            Refusal timeout;
            timeout.kind = Refusal::Kind::timeout;
            return answer_refusal(batch, timeout);
        }
        auto* op = new BatchOp(*this, std::move(batch));
        if (Status s = core_.admit_append(context_, op->batch().request, op->caller(), op->append());
            !s.ok()) {
            answer_refusal(op->batch(), classify(s, config_.limits.max_append_bytes, false));
            op->release();
            return;
        }
        if (op->batch().timeout_us) {
            uint64_t& timeout_us = op->append().request().timeout_us;
            timeout_us = std::min<uint64_t>(timeout_us, static_cast<uint64_t>(*op->batch().timeout_us));
        }
        {
            std::lock_guard lock(mutex_);
            ++in_store_;
        }
        store_.append_async(*op);
    }

    void answer_refusal(const Batch& batch, const Refusal& refusal) {
        Response response = head(batch);
        *response.mutable_error() = batch_error(context_, refusal);
        send(std::move(response));
    }

    // An error for a request that opened no group.
    void refuse(const Request& request, const Refusal& refusal) {
        Response response;
        *response.mutable_correlation_id() = request.correlation_id();
        // Always a stream_identifier, if empty: Node's client reads it from every error.
        *response.mutable_stream_identifier() = request.options().stream_identifier();
        *response.mutable_error() = batch_error(context_, refusal);
        send(std::move(response));
    }

    void send(Response response) {
        {
            std::lock_guard lock(mutex_);
            if (!write_failed_) queue_.push_back(std::move(response));
        }
        pump();
    }

    // Starts the next write, or finishes the call when nothing is left to do; `answered` appends
    // left the store. The last thing a caller does: the call may end right after.
    void pump(int answered = 0) {
        std::unique_lock lock(mutex_);
        in_store_ -= answered;
        if (writing_ || finished_) return;
        if (!queue_.empty()) {
            writing_ = true;
            writing_response_ = std::move(queue_.front());
            queue_.pop_front();
            lock.unlock();
            StartWrite(&writing_response_);
            return;
        }
        if (reads_done_ && in_store_ == 0) {
            finished_ = true;
            lock.unlock();
            Finish(grpc::Status::OK);
        }
    }

    EventStoreService& core_;
    loader::Store& store_;
    const Config& config_;
    grpc::CallbackServerContext& context_;
    // Touched by the reading side only. gRPC runs one OnReadDone at a time, each after the
    // StartRead before it, possibly on another thread; read_mutex_ (held around the reading
    // side's work and its StartRead, never contended) makes that order one ThreadSanitizer
    // sees too, as gRPC's own synchronisation is not instrumented.
    std::mutex read_mutex_;
    Request request_;
    std::map<std::string, Batch> open_;
    std::set<std::string> refused_;
    // The rest under mutex_.
    std::mutex mutex_;
    std::deque<Response> queue_;
    Response writing_response_;
    bool writing_ = false;
    bool write_failed_ = false;
    bool reads_done_ = false;
    bool finished_ = false;
    int in_store_ = 0;
};

void BatchOp::complete(const Status& status, const es_append_result& result) {
    reactor_.answered(batch_, caller_, status, result);
}

}  // namespace

grpc::ServerBidiReactor<proto::BatchAppendReq, proto::BatchAppendResp>* StreamsService::BatchAppend(
    grpc::CallbackServerContext* context) {
    return new BatchAppendReactor(core_, store_, config_, *context);
}

}  // namespace eventstore::server::kurrent
