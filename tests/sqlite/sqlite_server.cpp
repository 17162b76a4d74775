#include "sqlite_server.hpp"

#include <thread>

#include <grpcpp/grpcpp.h>

namespace eventstore::test {

SqliteServer::SqliteServer(const TempDir& dir, const std::filesystem::path& database)
    : port_(free_port()) {
    const auto config = dir.write(
        "eventstored-" + std::to_string(port_) + ".yaml",
        "listen: 127.0.0.1:" + std::to_string(port_) + "\nbackend:\n  plugin: " +
            SQLITE_PLUGIN_PATH + "\n  options:\n    path: " + database.string() +
            "\nlogging:\n  level: info\nshutdown_grace_ms: 2000\n");
    process_ = std::make_unique<EventstoredProcess>(
        std::vector<std::string>{"--config", config.string()}, dir);
}

bool SqliteServer::listening() {
    return process_->wait_for_log("listening on", std::chrono::seconds(20));
}

std::unique_ptr<v1::EventStore::Stub> SqliteServer::stub() const {
    return v1::EventStore::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                                       grpc::InsecureChannelCredentials()));
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace eventstore::test
