// server_process.hpp: eventstored as a child process serving the postgres plugin, for tests that
// need several servers on one database, or a server to kill. The DSN comes from the environment
// pg_harness.sh sets (options.dsn_env: EVENTSTORE_PG_DSN).
#ifndef EVENTSTORE_TESTS_POSTGRES_SERVER_PROCESS_HPP
#define EVENTSTORE_TESTS_POSTGRES_SERVER_PROCESS_HPP

#include <cstdint>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "process_support.hpp"

namespace eventstore::test {

class PostgresServerProcess {
public:
    // Starts eventstored on a free port with the postgres plugin on `schema`, with `options`
    // (more YAML lines under backend.options, each indented by four spaces), `backend` (more
    // lines under backend, indented by two) and `top_level` (more top-level YAML, such as an
    // `auth:` section), and waits until it listens (fails the test if it does not). On `port`
    // when given (a server started again where its clients look for it).
    PostgresServerProcess(const TempDir& dir, const std::string& schema,
                          const std::string& options = "", const std::string& backend = "",
                          uint16_t port = 0, const std::string& top_level = "");

    EventstoredProcess& process() { return *process_; }
    uint16_t port() const { return port_; }
    // A new stub of the server's API.
    std::unique_ptr<v1::EventStore::Stub> stub() const;

private:
    uint16_t port_;
    std::unique_ptr<EventstoredProcess> process_;
};

}  // namespace eventstore::test

#endif
