#include "quick_shutdown.hpp"

#include <thread>

#include <grpc/grpc.h>
#include <grpcpp/completion_queue.h>
#include <grpcpp/impl/codegen/completion_queue_tag.h>

namespace eventstore::server {
namespace {

// The tag of the shutdown's notification, which nobody needs to see: Next() swallows it.
class ShutdownTag : public grpc::internal::CompletionQueueTag {
public:
    bool FinalizeResult(void**, bool*) override { return false; }
};

}  // namespace

void shut_down_quickly(grpc::Server& server, CallsInFlight& calls,
                       std::chrono::system_clock::time_point deadline) {
    // gRPC core's shutdown may be asked for more than once: Shutdown below asks again, and every
    // asker is told at once when it completes.
    grpc::CompletionQueue begun;
    ShutdownTag tag;
    grpc_server_shutdown_and_notify(server.c_server(), begun.cq(), &tag);
    std::thread closer([&] {
        if (calls.wait_until_none(deadline)) grpc_server_cancel_all_calls(server.c_server());
    });
    server.Shutdown(deadline);
    calls.interrupt();
    closer.join();
    begun.Shutdown();
    void* swallowed = nullptr;
    bool ok = false;
    while (begun.Next(&swallowed, &ok)) {
    }
}

}  // namespace eventstore::server
