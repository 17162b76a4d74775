#include "served_eventstored.hpp"

#include <stdexcept>

#include "grpc/health/v1/health.grpc.pb.h"

namespace eventstore::test {

using namespace std::chrono_literals;

ServedEventstored::ServedEventstored(const std::string& plugin, const std::string& extra)
    : port_(free_port()) {
    const auto config = dir_.write("eventstore.yaml", "listen: 127.0.0.1:" + std::to_string(port_) +
                                                          "\nbackend:\n  plugin: " + plugin +
                                                          "\n" + extra + "\n");
    process_ = std::make_unique<EventstoredProcess>(
        std::vector<std::string>{"--config", config.string()}, dir_);
    if (!process_->wait_for_log("listening on", 20s)) {
        throw std::runtime_error("eventstored did not start listening:\n" + process_->log());
    }
}

std::shared_ptr<grpc::Channel> ServedEventstored::channel() const {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    // A channel of its own, so that tests which need several connections get them.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(address(), grpc::InsecureChannelCredentials(), args);
}

bool ServedEventstored::healthy() const {
    auto health = grpc::health::v1::Health::NewStub(channel());
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    grpc::health::v1::HealthCheckResponse response;
    return health->Check(&context, grpc::health::v1::HealthCheckRequest(), &response).ok() &&
           response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

}  // namespace eventstore::test
