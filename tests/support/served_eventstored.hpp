// served_eventstored.hpp: the eventstored binary serving a backend on a free loopback port, and a
// channel to it: what the wire and soak tests run against.
#ifndef EVENTSTORE_TESTS_SERVED_EVENTSTORED_HPP
#define EVENTSTORE_TESTS_SERVED_EVENTSTORED_HPP

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "process_support.hpp"

namespace eventstore::test {

class ServedEventstored {
public:
    // Starts eventstored with `plugin` (a path) and `extra` top-level YAML sections (limits,
    // shutdown_grace_ms, ...), and waits until it listens. Throws if it does not within 20 s.
    ServedEventstored(const std::string& plugin, const std::string& extra = "");

    uint16_t port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    EventstoredProcess& process() { return *process_; }
    // A new channel with no limit on the size of received messages.
    std::shared_ptr<grpc::Channel> channel() const;
    // True when grpc.health.v1 answers SERVING within 10 s.
    bool healthy() const;

private:
    TempDir dir_;
    uint16_t port_;
    std::unique_ptr<EventstoredProcess> process_;
};

}  // namespace eventstore::test

#endif
