// wire_fixture.hpp: the fixture of the wire tests: a real eventstored (memory backend) with small
// append limits, so that oversized requests are cheap to build, and a long shutdown grace, so that
// a call the server never finished would make its exit slow.
#ifndef EVENTSTORE_TESTS_WIRE_FIXTURE_HPP
#define EVENTSTORE_TESTS_WIRE_FIXTURE_HPP

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "served_eventstored.hpp"

namespace eventstore::test {

inline constexpr uint64_t kMaxAppendBytes = 64 * 1024;
inline constexpr uint32_t kMaxAppendEvents = 100;
// The server's receive size for these limits (server.cpp): bytes + 256 per event + 1 MiB.
inline constexpr uint64_t kReceiveSize = kMaxAppendBytes + 256 * kMaxAppendEvents + (1u << 20);

class WireTest : public ::testing::Test {
protected:
    void SetUp() override;

    static std::unique_ptr<grpc::ClientContext> context(int seconds = 10);
    // Appends `count` events of `payload_bytes` each to `stream`, in batches; expects success.
    void append(const std::string& stream, int count, size_t payload_bytes = 16);
    // Appends one event with a payload of `payload_bytes` to `stream`; the call's status.
    grpc::Status append_one(const std::string& stream, size_t payload_bytes = 0);
    // How many events ReadAll finds in the whole store.
    size_t stored_events();
    // The server is healthy and an append succeeds.
    void expect_serving();

    std::unique_ptr<ServedEventstored> server_;
    std::unique_ptr<v1::EventStore::Stub> stub_;
};

}  // namespace eventstore::test

#endif
