// raw_call.hpp: sends any bytes as the request of a method, as a broken or hostile client would
// (invalid UTF-8, truncated or foreign messages), through gRPC's generic stub.
#ifndef EVENTSTORE_TESTS_WIRE_RAW_CALL_HPP
#define EVENTSTORE_TESTS_WIRE_RAW_CALL_HPP

#include <string>

#include <grpcpp/grpcpp.h>

namespace eventstore::test {

// Calls `method` ("/eventstore.v1.EventStore/Append") with `request` as the serialized request and
// returns the call's status; gives up after 10 s. For a server-streaming method the call is
// treated as unary, which is enough when the server refuses the request before streaming.
grpc::Status raw_call(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::string& request);

// `serialized` with every occurrence of `marker` replaced by as many bytes that are not UTF-8.
// Same length, so the message's length prefixes stay right.
std::string with_invalid_utf8(std::string serialized, const std::string& marker);

}  // namespace eventstore::test

#endif
