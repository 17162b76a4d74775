// append_call.hpp: one Append call on gRPC's callback API, from the request's arrival to the
// backend's answer, without a thread that waits for it. gRPC asks the allocator for the call's
// messages before it parses the request (so the request lives in this object, as long as the
// backend needs it); the handler checks the request and hands the append to the store
// (loader::Store::append_async); the store's completion answers the client, from whatever thread
// the backend completes on.
//
// Life: two holders, gRPC (until it releases the messages after the call ended) and the store
// (from append_async until the backend is done with the request: its bytes are this object's
// request). The last one lets it go. A backend that answers late (after the loader answered the
// client INTERNAL at the deadline) thus never reads freed memory.
//
// Reuse: a call let go is cleared and kept for a later Append (up to kKept calls, process-wide),
// unless its request held more than kKeptBytes or kKeptEvents. Clearing keeps what protobuf
// allocated for the request (its EventData messages, the capacity of their strings), so parsing
// the next request allocates next to nothing; allocating and freeing each event's fields was a
// tenth of the server's samples on 100-event appends (docs/benchmarks.md, "Appends at the
// ceiling").
#ifndef EVENTSTORE_SERVER_APPEND_CALL_HPP
#define EVENTSTORE_SERVER_APPEND_CALL_HPP

#include <atomic>

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/message_allocator.h>

#include "eventstore/append_builder.hpp"
#include "eventstore/loader/store.hpp"
#include "eventstore/v1/eventstore.pb.h"
#include "security/auth.hpp"

namespace eventstore::server {

// The answer to an Append whose append the store decided with `status` and `result`: the
// response filled on OK, WrongExpectedVersion on FAILED_PRECONDITION, else the backend's status as
// `caller` may see it.
grpc::Status append_answer(const Status& status, const es_append_result& result,
                           const v1::AppendRequest& request, const Caller& caller,
                           const grpc::ServerContextBase& context, v1::AppendResponse& response);

class AppendCall final : public grpc::MessageHolder<v1::AppendRequest, v1::AppendResponse>,
                         public loader::AsyncAppend {
public:
    // Makes the calls; for WithCallbackMethod_Append::SetMessageAllocatorFor_Append.
    class Allocator final
        : public grpc::MessageAllocator<v1::AppendRequest, v1::AppendResponse> {
    public:
        grpc::MessageHolder<v1::AppendRequest, v1::AppendResponse>* AllocateMessages() override;
    };

    static constexpr size_t kKept = 32;
    static constexpr size_t kKeptEvents = 512;
    static constexpr size_t kKeptBytes = 128 * 1024;

    // The call of a handler's `context` (made by the Allocator).
    static AppendCall& of(grpc::CallbackServerContext& context) {
        return *static_cast<AppendCall*>(context.GetRpcAllocatorState());
    }

    // Hands the checked append to `store`; the reactor is finished when the store completes it.
    void start(loader::Store& store, grpc::CallbackServerContext& context,
               grpc::ServerUnaryReactor& reactor, Caller caller, abi::AppendBuilder append);

    // grpc::MessageHolder: gRPC is done with the messages.
    void Release() override { drop(); }
    // loader::AsyncAppend
    const es_append_request& abi_request() const override { return append_.request(); }
    void complete(const Status& status, const es_append_result& result) override;
    void release() override { drop(); }

private:
    AppendCall() {
        set_request(&request_);
        set_response(&response_);
    }
    ~AppendCall() override = default;
    void drop() {
        if (holders_.fetch_sub(1, std::memory_order_acq_rel) == 1) let_go();
    }
    // The last holder is gone: cleared and kept for reuse, or deleted.
    void let_go();
    // Whether the request's memory is small enough to keep.
    bool worth_keeping() const;

    v1::AppendRequest request_;
    v1::AppendResponse response_;
    std::atomic<int> holders_{1};  // gRPC; the store from start()
    grpc::CallbackServerContext* context_ = nullptr;
    grpc::ServerUnaryReactor* reactor_ = nullptr;
    Caller caller_;
    abi::AppendBuilder append_;
};

}  // namespace eventstore::server

#endif
