// The KurrentDB protocol's switch (kurrent.enabled): on by default and served beside
// eventstore.v1 on the same port, absent (UNIMPLEMENTED) when turned off, eventstore.v1 serving
// either way.
#include <gtest/gtest.h>

#include "streams.grpc.pb.h"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

namespace kurrent = event_store::client::streams;

class KurrentSwitchTest : public ServerTest {
protected:
    void SetUp() override {}

    // The status of a Read with no options: INVALID_ARGUMENT from a server that speaks the
    // protocol, UNIMPLEMENTED from one that does not.
    grpc::Status read_without_options() {
        auto stub = kurrent::Streams::NewStub(channel_);
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        auto reader = stub->Read(&context, kurrent::ReadReq());
        kurrent::ReadResp response;
        while (reader->Read(&response)) {
        }
        return reader->Finish();
    }
};

TEST_F(KurrentSwitchTest, GivenTheDefaultConfig_WhenAKurrentClientCalls_ThenTheProtocolAnswers) {
    start();
    EXPECT_EQ(read_without_options().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    ASSERT_TRUE(append("s", {make_event()}).ok());
}

TEST_F(KurrentSwitchTest, GivenTheProtocolTurnedOff_WhenAKurrentClientCalls_ThenUnimplementedAndEventStoreV1Serves) {
    start("kurrent:\n  enabled: false\n");
    EXPECT_EQ(read_without_options().error_code(), grpc::StatusCode::UNIMPLEMENTED);
    ASSERT_TRUE(append("s", {make_event()}).ok());
    EXPECT_EQ(whole_stream("s").size(), 1u);
}

}  // namespace
}  // namespace eventstore::test
