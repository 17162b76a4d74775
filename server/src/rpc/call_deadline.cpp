#include "rpc/call_deadline.hpp"

#include "eventstore/deadline.hpp"

namespace eventstore::server {

Result<uint64_t> CallDeadline::timeout_us() const {
    // gRPC says "no deadline" with the largest time point; anything beyond the server's own
    // limit cannot come first either.
    const auto client_left = client_deadline - std::chrono::system_clock::now();
    const Deadline deadline =
        client_left >= backend_timeout
            ? Deadline::at(Deadline::Clock::now() + backend_timeout)
            : Deadline::at(Deadline::Clock::now() +
                           std::chrono::duration_cast<Deadline::Clock::duration>(client_left));
    if (deadline.passed()) {
        return Status(Code::deadline_exceeded,
                      "the call's deadline passed before the backend was asked; nothing was done");
    }
    return deadline.timeout_us();
}

}  // namespace eventstore::server
