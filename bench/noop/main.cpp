// eventstore-bench-noop: serves NoopService (noop_service.hpp) and, for the KurrentDB protocol,
// NoopKurrentService (noop_kurrent_service.hpp) until SIGTERM or SIGINT.
// Usage: eventstore-bench-noop --listen HOST:PORT (port 0 picks a free one). Logs
// "eventstore-bench-noop listening on HOST:PORT" on stderr once it serves.
#include <csignal>
#include <iostream>
#include <string>

#include <grpcpp/grpcpp.h>

#include "noop_kurrent_service.hpp"
#include "noop_service.hpp"

int main(int argc, char** argv) {
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    if (argc != 3 || std::string(argv[1]) != "--listen") {
        std::cerr << "usage: eventstore-bench-noop --listen HOST:PORT\n";
        return 2;
    }
    const std::string listen = argv[2];
    eventstore::bench::NoopService service;
    eventstore::bench::NoopKurrentService kurrent_service(service);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    builder.RegisterService(&kurrent_service);
    builder.SetMaxReceiveMessageSize(-1);
    auto server = builder.BuildAndStart();
    if (!server || port == 0) {
        std::cerr << "eventstore-bench-noop: cannot listen on " << listen << "\n";
        return 1;
    }
    std::cerr << "eventstore-bench-noop listening on " << listen.substr(0, listen.rfind(':')) << ':'
              << port << std::endl;
    int signal = 0;
    sigwait(&stop, &signal);
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    return 0;
}
