#include "server_process.hpp"

#include <gtest/gtest.h>

namespace eventstore::test {

PostgresServerProcess::PostgresServerProcess(const TempDir& dir, const std::string& schema,
                                             const std::string& options,
                                             const std::string& backend, uint16_t port,
                                             const std::string& top_level)
    : port_(port != 0 ? port : free_port()) {
    const auto config = dir.write(
        "eventstored-" + std::to_string(port_) + ".yaml",
        "listen: 127.0.0.1:" + std::to_string(port_) + "\nbackend:\n  plugin: " +
            POSTGRES_PLUGIN_PATH + "\n" + backend + "  options:\n    dsn_env: EVENTSTORE_PG_DSN\n    schema: " +
            schema + "\n" + options + top_level +
            "logging:\n  level: info\nshutdown_grace_ms: 2000\n");
    process_ = std::make_unique<EventstoredProcess>(
        std::vector<std::string>{"--config", config.string()}, dir);
    EXPECT_TRUE(process_->wait_for_log("listening on", std::chrono::seconds(20)))
        << process_->log();
}

std::unique_ptr<v1::EventStore::Stub> PostgresServerProcess::stub() const {
    return v1::EventStore::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                                       grpc::InsecureChannelCredentials()));
}

}  // namespace eventstore::test
