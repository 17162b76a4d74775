// closed_loop.hpp: a closed-loop load of unary calls on gRPC completion queues. `concurrency`
// slots each keep one call in flight: when a call completes, its slot starts the next. A few
// threads (one per completion queue) drive every slot, so the client costs little CPU beside the
// server on the same machine. A call may take several steps on its queue (a client stream: start,
// writes, finish); the slot chains them on one tag.
#ifndef EVENTSTORE_BENCH_CLOSED_LOOP_HPP
#define EVENTSTORE_BENCH_CLOSED_LOOP_HPP

#include <memory>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "figures.hpp"
#include "servers.hpp"

namespace eventstore::bench {

// One slot: a kind of call, with its request state. Used by one thread at a time.
class CallSlot {
public:
    virtual ~CallSlot() = default;
    // Starts the next call with `context` (new for each call) on `cq`; it must end with
    // Finish(..., status, tag) so that the queue returns `tag`.
    virtual void start(grpc::ClientContext& context, grpc::CompletionQueue& cq,
                       grpc::Status& status, void* tag) = 0;
    // The queue returned `tag` (with `ok`): true when that was the call's Finish (`status` is
    // final); false when the slot has started the call's next step on the same tag. A unary call
    // ends at its first tag. Before returning true the slot destroys its reader or writer: gRPC
    // allocates them in the call's arena, which goes with the context right after.
    virtual bool advance(bool /*ok*/) { return true; }
    // The call finished OK: how many events it moved; the slot prepares its next request.
    virtual uint64_t completed() = 0;
    // A slot whose calls are messages on one long-lived call of its own (a BatchAppend stream)
    // keeps its context from one call to the next, until close().
    virtual bool keeps_call() const { return false; }
    // The run is over: a slot that keeps a call starts ending it on `tag` and returns true (advance
    // then returns true at its Finish, whose status is final); false when there is nothing to end.
    virtual bool close(void* /*tag*/) { return false; }
};

// A slot of one unary RPC of the EventStore stub: `prepare` readies request() for the next call,
// and completed() reads response().
template <class Stub, class Request, class Response>
class UnarySlot : public CallSlot {
public:
    using AsyncMethod = std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (Stub::*)(
        grpc::ClientContext*, const Request&, grpc::CompletionQueue*);

    UnarySlot(Stub& stub, AsyncMethod method) : stub_(stub), method_(method) {}

    void start(grpc::ClientContext& context, grpc::CompletionQueue& cq, grpc::Status& status,
               void* tag) final {
        prepare(request_);
        reader_ = (stub_.*method_)(&context, request_, &cq);
        reader_->Finish(&response_, &status, tag);
    }

    bool advance(bool) final {
        reader_.reset();  // it lives in the call's arena: destroyed before the context is
        return true;
    }

protected:
    virtual void prepare(Request& request) = 0;
    Request& request() { return request_; }
    const Response& response() const { return response_; }

private:
    Stub& stub_;
    const AsyncMethod method_;
    Request request_;
    Response response_;
    std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader_;
};

// Runs the slots for `warmup_s` (not counted), then `duration_s` measured: calls that complete
// in the measured window count, with their latencies, and the CPU `server` and this client use
// in it (CpuMeter). Throws std::runtime_error naming the first failed call's status.
RunFigures run_closed_loop(std::vector<std::unique_ptr<CallSlot>>& slots, double warmup_s,
                           double duration_s, const BenchServer& server);

}  // namespace eventstore::bench

#endif
