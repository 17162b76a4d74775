#include "rpc/append_call.hpp"

#include <mutex>
#include <vector>

#include "rpc/errors.hpp"

namespace eventstore::server {

namespace {

// The calls kept for reuse, shared by every Allocator; never destroyed, so that a call let go
// late (a backend answering after the server stopped) still finds it.
class KeptCalls {
public:
    AppendCall* take() {
        std::lock_guard lock(mutex_);
        if (calls_.empty()) return nullptr;
        AppendCall* call = calls_.back();
        calls_.pop_back();
        return call;
    }
    bool keep(AppendCall* call) {
        std::lock_guard lock(mutex_);
        if (calls_.size() >= AppendCall::kKept) return false;
        calls_.push_back(call);
        return true;
    }

private:
    std::mutex mutex_;
    std::vector<AppendCall*> calls_;
};

KeptCalls& kept_calls() {
    static auto* kept = new KeptCalls();
    return *kept;
}

}  // namespace

grpc::MessageHolder<v1::AppendRequest, v1::AppendResponse>*
AppendCall::Allocator::AllocateMessages() {
    if (AppendCall* call = kept_calls().take()) return call;
    return new AppendCall();
}

bool AppendCall::worth_keeping() const {
    if (static_cast<size_t>(request_.events_size()) > kKeptEvents) return false;
    size_t bytes = 0;
    for (const v1::EventData& event : request_.events()) bytes += event.payload().capacity();
    return bytes <= kKeptBytes;
}

void AppendCall::let_go() {
    if (!worth_keeping()) {
        delete this;
        return;
    }
    request_.Clear();
    response_.Clear();
    context_ = nullptr;
    reactor_ = nullptr;
    caller_ = Caller();
    append_ = abi::AppendBuilder();
    holders_.store(1, std::memory_order_relaxed);
    if (!kept_calls().keep(this)) delete this;
}

grpc::Status append_answer(const Status& status, const es_append_result& result,
                           const v1::AppendRequest& request, const Caller& caller,
                           const grpc::ServerContextBase& context, v1::AppendResponse& response) {
    if (status.code() == Code::failed_precondition) {
        if (result.tombstoned) {
            return stream_deleted(grpc::StatusCode::FAILED_PRECONDITION, request.stream_id());
        }
        return wrong_expected_version(status, request, result.actual_version);
    }
    if (!status.ok()) {
        return backend_to_grpc(Authorizer::visible_append_failure(caller, status), context);
    }
    response.set_current_version(result.current_version);
    response.set_first_global_position(result.first_global_position);
    response.set_last_global_position(result.last_global_position);
    return grpc::Status::OK;
}

void AppendCall::start(loader::Store& store, grpc::CallbackServerContext& context,
                       grpc::ServerUnaryReactor& reactor, Caller caller, abi::AppendBuilder append) {
    context_ = &context;
    reactor_ = &reactor;
    caller_ = std::move(caller);
    append_ = std::move(append);
    holders_.fetch_add(1, std::memory_order_relaxed);
    store.append_async(*this);
}

void AppendCall::complete(const Status& status, const es_append_result& result) {
    reactor_->Finish(append_answer(status, result, *request(), caller_, *context_, *response()));
}

}  // namespace eventstore::server
