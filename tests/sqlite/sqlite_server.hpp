// sqlite_server.hpp: the real eventstored serving the sqlite plugin on a database file, for the
// tests that kill it, start a second one, or back its file up while it appends.
#ifndef EVENTSTORE_TESTS_SQLITE_SQLITE_SERVER_HPP
#define EVENTSTORE_TESTS_SQLITE_SQLITE_SERVER_HPP

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "process_support.hpp"

namespace eventstore::test {

class SqliteServer {
public:
    // Starts eventstored (its config and logs in `dir`) on a free port with the sqlite plugin
    // (SQLITE_PLUGIN_PATH) on `database`. Does not wait: see listening().
    SqliteServer(const TempDir& dir, const std::filesystem::path& database);

    EventstoredProcess& process() { return *process_; }
    // True once it listens, false if it has not within 20 s.
    bool listening();
    std::unique_ptr<v1::EventStore::Stub> stub() const;

private:
    uint16_t port_;
    std::unique_ptr<EventstoredProcess> process_;
};

// True once `condition` holds, polled every 10 ms; false at the timeout.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace eventstore::test

#endif
