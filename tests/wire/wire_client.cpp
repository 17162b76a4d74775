// wire_client: a client of eventstored that the wire tests kill with SIGKILL in the middle of a
// call, to show that the server survives clients that vanish mid-stream.
//   wire_client subscribe ADDRESS   Subscribe from the start and read everything, forever
//   wire_client stall ADDRESS       Subscribe, read one message, then never read again
//   wire_client read-all ADDRESS    ReadAll from the start with the largest page, in a loop
// Each prints "ready" on stdout once its first message has arrived, then goes on until killed.
#include <unistd.h>

#include <iostream>
#include <string>

#include <grpcpp/grpcpp.h>

#include "eventstore/v1/eventstore.grpc.pb.h"

namespace {

using eventstore::v1::EventStore;

void ready() { std::cout << "ready" << std::endl; }

int subscribe(EventStore::Stub& stub, bool stall) {
    grpc::ClientContext context;
    auto reader = stub.Subscribe(&context, eventstore::v1::SubscribeRequest());
    eventstore::v1::SubscribeResponse message;
    if (!reader->Read(&message)) return 1;
    ready();
    if (stall) {
        for (;;) pause();
    }
    while (reader->Read(&message)) {
    }
    return 1;
}

int read_all(EventStore::Stub& stub) {
    eventstore::v1::ReadAllRequest request;
    request.set_max_count(UINT32_MAX);
    for (bool first = true;; first = false) {
        grpc::ClientContext context;
        eventstore::v1::ReadAllResponse response;
        if (!stub.ReadAll(&context, request, &response).ok()) return 1;
        if (first) ready();
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: wire_client subscribe|stall|read-all ADDRESS\n";
        return 2;
    }
    const std::string mode = argv[1];
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    auto stub = EventStore::NewStub(
        grpc::CreateCustomChannel(argv[2], grpc::InsecureChannelCredentials(), args));
    if (mode == "subscribe" || mode == "stall") return subscribe(*stub, mode == "stall");
    if (mode == "read-all") return read_all(*stub);
    std::cerr << "wire_client: unknown mode " << mode << "\n";
    return 2;
}
