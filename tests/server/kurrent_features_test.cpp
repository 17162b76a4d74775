// KurrentDB's ServerFeatures: the clients ask it, without credentials, which methods a server has
// (Node's appendToStream uses BatchAppend only when it is listed). Listed: every method served, in
// lower case as KurrentDB lists them, with KurrentDB's features; the version as major.minor.patch.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "security/crypto.hpp"
#include "serverfeatures.grpc.pb.h"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

namespace features = event_store::client::server_features;

class KurrentFeaturesTest : public ServerTest {
protected:
    void SetUp() override {}

    grpc::Status ask(features::SupportedMethods* methods) {
        auto stub = features::ServerFeatures::NewStub(channel_);
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        return stub->GetSupportedMethods(&context, event_store::client::Empty(), methods);
    }
};

TEST_F(KurrentFeaturesTest, GivenAuthOn_WhenAnAnonymousClientAsks_ThenEveryServedMethodIsListedWithKurrentsFeatures) {
    start("auth:\n  enabled: true\n  tokens:\n    - name: app\n      sha256: " +
          server::sha256_hex("a-token") + "\n      permissions: [read, write]\n      stream_prefixes: [\"\"]\n");
    features::SupportedMethods methods;
    const grpc::Status status = ask(&methods);
    ASSERT_TRUE(status.ok()) << status.error_message();

    EXPECT_EQ(methods.event_store_server_version(), "25.1.0");
    std::map<std::string, std::set<std::string>> listed;
    for (const auto& method : methods.methods()) {
        listed[method.service_name() + "/" + method.method_name()] =
            std::set<std::string>(method.features().begin(), method.features().end());
    }
    const std::string streams = "event_store.client.streams.streams/";
    const std::map<std::string, std::set<std::string>> expected{
        {streams + "read", {"position", "events"}},
        {streams + "append", {}},
        {streams + "batchappend", {"deadline_duration"}},
        {streams + "delete", {}},
        {streams + "tombstone", {}},
        {"event_store.client.server_features.serverfeatures/getsupportedmethods", {}},
    };
    EXPECT_EQ(listed, expected);
}

TEST_F(KurrentFeaturesTest, GivenTheProtocolTurnedOff_WhenAClientAsks_ThenUnimplemented) {
    start("kurrent:\n  enabled: false\n");
    features::SupportedMethods methods;
    EXPECT_EQ(ask(&methods).error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace eventstore::test
