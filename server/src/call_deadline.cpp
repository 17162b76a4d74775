#include "call_deadline.hpp"

namespace eventstore::server {

Deadline backend_deadline(const grpc::ServerContext& context, std::chrono::milliseconds timeout) {
    const Deadline by_server = Deadline::at(Deadline::Clock::now() + timeout);
    // gRPC says "no deadline" with the largest time point; anything beyond the server's own
    // limit cannot come first either.
    const auto client_left = context.deadline() - std::chrono::system_clock::now();
    if (client_left >= timeout) return by_server;
    return Deadline::at(Deadline::Clock::now() +
                        std::chrono::duration_cast<Deadline::Clock::duration>(client_left));
}

Status check_not_passed(const Deadline& deadline) {
    if (!deadline.passed()) return {};
    return Status(Code::deadline_exceeded,
                  "the call's deadline passed before the backend was asked; nothing was done");
}

}  // namespace eventstore::server
