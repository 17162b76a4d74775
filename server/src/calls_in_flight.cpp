#include "calls_in_flight.hpp"

namespace eventstore::server {
namespace {

// Alive exactly as long as its call: gRPC makes one per call and destroys it with the call.
class CallCounter : public grpc::experimental::Interceptor {
public:
    explicit CallCounter(CallsInFlight& calls) : calls_(calls) { calls_.started(); }
    ~CallCounter() override { calls_.ended(); }
    void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
        methods->Proceed();
    }

private:
    CallsInFlight& calls_;
};

class CallCounterFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
public:
    explicit CallCounterFactory(CallsInFlight& calls) : calls_(calls) {}
    grpc::experimental::Interceptor* CreateServerInterceptor(
        grpc::experimental::ServerRpcInfo*) override {
        return new CallCounter(calls_);
    }

private:
    CallsInFlight& calls_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CallsInFlight::counter() {
    return std::make_unique<CallCounterFactory>(*this);
}

bool CallsInFlight::wait_until_none(std::chrono::system_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [&] { return count_ == 0 || interrupted_; });
    return count_ == 0 && !interrupted_;
}

void CallsInFlight::interrupt() {
    {
        std::lock_guard lock(mutex_);
        interrupted_ = true;
    }
    changed_.notify_all();
}

void CallsInFlight::started() {
    std::lock_guard lock(mutex_);
    ++count_;
}

void CallsInFlight::ended() {
    bool none;
    {
        std::lock_guard lock(mutex_);
        none = --count_ == 0;
    }
    if (none) changed_.notify_all();
}

}  // namespace eventstore::server
