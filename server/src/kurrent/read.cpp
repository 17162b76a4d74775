// read.cpp: KurrentDB's Read (docs/kurrent-protocol.md, "Reads and subscriptions"). The request
// is checked whole first (read_options.hpp) and admitted as eventstore.v1 admits its reads (the
// core's tokens and rules); then a count read pages through the backend (read_sources.hpp) on a
// reactor of its own, and a subscription runs on the core's subscription runtime with KurrentDB's
// messages (read_encoding.hpp).
#include <deque>
#include <mutex>

#include "kurrent/errors.hpp"
#include "kurrent/read_encoding.hpp"
#include "kurrent/read_options.hpp"
#include "kurrent/read_sources.hpp"
#include "kurrent/streams_service.hpp"
#include "observability/request_id.hpp"
#include "rpc/errors.hpp"
#include "subscriptions/subscribe_reactor.hpp"

namespace eventstore::server::kurrent {
namespace {

// One count read. It holds no thread between writes: each backend page is read on the gRPC
// thread that reports the previous write done (or the initial metadata sent), and its messages are
// written one at a time. Deletes itself when the call is over (OnDone).
//
// As SubscribeReactor (subscriptions/subscribe_reactor.hpp): gRPC orders the reactions through
// its completion queue, which ThreadSanitizer cannot see, so each takes `mutex_`.
class CountRead final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
public:
    explicit CountRead(std::unique_ptr<ReadSource> source) {
        std::lock_guard lock(mutex_);
        source_ = std::move(source);
        StartSendInitialMetadata();
    }

    void OnSendInitialMetadataDone(bool ok) override { proceed(ok); }
    void OnWriteDone(bool ok) override { proceed(ok); }
    void OnDone() override {
        { std::lock_guard lock(mutex_); }
        delete this;
    }

private:
    void proceed(bool ok) {
        std::lock_guard lock(mutex_);
        if (!ok) return Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the reader went away"));
        while (pending_.empty() && !done_) {
            const grpc::Status status = source_->next(pending_, done_);
            if (!status.ok()) return Finish(status);
        }
        if (pending_.empty()) return Finish(grpc::Status::OK);
        in_flight_ = std::move(pending_.front());
        pending_.pop_front();
        StartWrite(&in_flight_);
    }

    std::mutex mutex_;
    std::unique_ptr<ReadSource> source_;
    std::deque<grpc::ByteBuffer> pending_;
    grpc::ByteBuffer in_flight_;
    bool done_ = false;
};

grpc::ServerWriteReactor<grpc::ByteBuffer>* refuse(grpc::Status status) {
    return SubscribeReactor::refuse(std::move(status));
}

}  // namespace

grpc::ServerWriteReactor<grpc::ByteBuffer>* StreamsService::Read(grpc::CallbackServerContext* context,
                                                                 const grpc::ByteBuffer* bytes) {
    proto::ReadReq request;
    grpc::ByteBuffer copy(*bytes);
    if (!grpc::SerializationTraits<proto::ReadReq>::Deserialize(&copy, &request).ok()) {
        return refuse(bad_request("the ReadReq message cannot be parsed"));
    }
    const auto parsed = parse(request);
    if (!parsed.ok()) return refuse(to_grpc(parsed.status(), *context));
    const ReadOptions& options = parsed.value();
    Caller caller;
    std::string prefix;
    if (options.all) {
        auto admitted = core_.admit_log_reader(
            *context, options.filter ? options.filter->backend_prefix() : std::string());
        if (!admitted.ok()) return refuse(refused(*context, admitted.status()));
        caller = std::move(admitted.value().caller);
        prefix = std::move(admitted.value().prefix);
    } else {
        auto admitted = core_.admit_stream_call(*context, options.stream, Access::read);
        if (!admitted.ok()) return refuse(refused(*context, admitted.status()));
        caller = std::move(admitted.value());
        // The backend narrows a stream's subscription to the names it starts; the encoding keeps
        // the stream itself.
        prefix = options.stream;
    }
    if (options.subscription) return subscribe(*context, options, std::move(caller), std::move(prefix));
    return new CountRead(make_source(
        ReadContext{store_, core_, config_, *context, std::move(caller), std::move(prefix)}, options));
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* StreamsService::subscribe(
    grpc::CallbackServerContext& context, const ReadOptions& options, Caller caller,
    std::string prefix) {
    ReadContext reading{store_, core_, config_, context, caller, prefix};
    Feed::Request subscriber;
    // A subscription starts after its position or revision (exclusive).
    if (options.from == ReadOptions::From::end) {
        const auto bound = log_upper_bound(reading);
        if (!bound.ok()) return refuse(backend_to_grpc(bound.status(), context));
        subscriber.after = bound.value();
    } else if (options.from == ReadOptions::From::point && options.all) {
        subscriber.after = options.point;
    } else if (options.from == ReadOptions::From::point) {
        const auto position = position_of(reading, options.stream, version_of(options.point));
        if (!position.ok()) return refuse(backend_to_grpc(position.status(), context));
        if (position.value()) {
            subscriber.after = *position.value();
        } else {
            // The stream has no such revision yet: what it appends from now on.
            const auto bound = log_upper_bound(reading);
            if (!bound.ok()) return refuse(backend_to_grpc(bound.status(), context));
            subscriber.after = bound.value();
        }
    }
    subscriber.prefix = std::move(prefix);
    subscriber.caller = std::move(caller);
    subscriber.max_batch_events = 0;
    subscriber.deadline = context.deadline();
    subscriber.request_id = request_id(context);
    std::optional<uint64_t> after_revision;
    if (!options.all && options.from == ReadOptions::From::point) after_revision = options.point;
    subscriber.encoding = std::make_shared<KurrentEncoding>(options.all ? std::string() : options.stream,
                                                            options.filter, options.uuid,
                                                            after_revision);
    // KurrentDB sends checkpoints to filtered subscriptions of $all only.
    subscriber.checkpoints = options.all && options.filter.has_value();
    subscriber.checkpoint_interval = options.checkpoint_interval;
    return core_.subscribe(context, std::move(subscriber));
}

}  // namespace eventstore::server::kurrent
