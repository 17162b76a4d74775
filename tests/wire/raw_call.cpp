#include "raw_call.hpp"

#include <future>

#include <grpcpp/generic/generic_stub.h>

namespace eventstore::test {

grpc::Status raw_call(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::string& request) {
    grpc::GenericStub stub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Slice slice(request);
    const grpc::ByteBuffer buffer(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &buffer, &response,
                   [&done](grpc::Status status) { done.set_value(std::move(status)); });
    return done.get_future().get();
}

std::string with_invalid_utf8(std::string serialized, const std::string& marker) {
    // 0xFF never occurs in UTF-8; 0xC3 0x28 is a lead byte followed by a non-continuation.
    static const std::string kNotUtf8 = "\xff\xc3\x28\xfe\x80\xc0\xff\xff\xff\xff\xff\xff\xff\xff";
    const std::string replacement = kNotUtf8.substr(0, marker.size());
    for (size_t at = serialized.find(marker); at != std::string::npos;
         at = serialized.find(marker, at + marker.size())) {
        serialized.replace(at, marker.size(), replacement);
    }
    return serialized;
}

}  // namespace eventstore::test
