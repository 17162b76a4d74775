// eventstored running the Kurrent stub (build/plugins/kurrent.so) as a user would: with a valid
// connection string it starts and every RPC answers UNIMPLEMENTED saying why; with a bad
// connection string or an unknown option it exits 1 naming them, before it listens.
#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "process_support.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

std::string unimplemented_message(const std::string& operation) {
    return "the Kurrent backend is not implemented yet: " + operation +
           " needs a KurrentDB gRPC client (see docs/kurrent-backend.md)";
}

// A config that listens on `port` and runs the Kurrent plugin with `options` (a YAML flow map).
std::string kurrent_config(uint16_t port, const std::string& options) {
    return "listen: 127.0.0.1:" + std::to_string(port) +
           "\n"
           "backend:\n"
           "  plugin: " KURRENT_PLUGIN_PATH "\n"
           "  options: " + options + "\n";
}

std::unique_ptr<grpc::ClientContext> context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + 10s);
    return context;
}

class KurrentServer : public ::testing::Test {
protected:
    void SetUp() override {
        port_ = free_port();
        const auto config = dir_.write(
            "eventstore.yaml",
            kurrent_config(port_, "{connection_string: 'kurrentdb://localhost:2113?tls=false'}"));
        process_ = std::make_unique<EventstoredProcess>(
            std::vector<std::string>{"--config", config.string()}, dir_);
        ASSERT_TRUE(process_->wait_for_log("listening on", 20s)) << process_->log();
        stub_ = v1::EventStore::NewStub(grpc::CreateChannel(
            "127.0.0.1:" + std::to_string(port_), grpc::InsecureChannelCredentials()));
    }

    TempDir dir_;
    uint16_t port_ = 0;
    std::unique_ptr<EventstoredProcess> process_;
    std::unique_ptr<v1::EventStore::Stub> stub_;
};

TEST_F(KurrentServer, GivenAValidConnectionString_WhenStarted_ThenItNamesTheKurrentBackend) {
    EXPECT_THAT(process_->log(), HasSubstr("with backend kurrent 0.1.0 (ABI 1.3"));
    EXPECT_THAT(process_->log(), HasSubstr("no connection attempted"));
}

TEST_F(KurrentServer, GivenTheStub_WhenAppending_ThenUnimplementedNamingAppend) {
    v1::AppendRequest request;
    request.set_stream_id("Order-1");
    request.add_events()->mutable_metadata()->set_type_name("OrderPlaced");
    v1::AppendResponse response;
    const grpc::Status status = stub_->Append(context().get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
    EXPECT_EQ(status.error_message(), unimplemented_message("append"));
}

TEST_F(KurrentServer, GivenTheStub_WhenReadingAStream_ThenUnimplementedNamingReadStream) {
    v1::ReadStreamRequest request;
    request.set_stream_id("Order-1");
    request.set_forward(true);
    v1::ReadStreamResponse response;
    const grpc::Status status = stub_->ReadStream(context().get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
    EXPECT_EQ(status.error_message(), unimplemented_message("read_stream"));
}

TEST_F(KurrentServer, GivenTheStub_WhenReadingAll_ThenUnimplementedNamingReadAll) {
    v1::ReadAllRequest request;
    request.set_stream_prefix("Order-");
    v1::ReadAllResponse response;
    const grpc::Status status = stub_->ReadAll(context().get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
    EXPECT_EQ(status.error_message(), unimplemented_message("read_all"));
}

// A subscription catches up through read_all, so that is the operation it names.
TEST_F(KurrentServer, GivenTheStub_WhenSubscribing_ThenTheStreamEndsUnimplementedNamingReadAll) {
    auto ctx = context();
    auto reader = stub_->Subscribe(ctx.get(), v1::SubscribeRequest());
    v1::SubscribeResponse message;
    EXPECT_FALSE(reader->Read(&message)) << message.DebugString();
    const grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
    EXPECT_EQ(status.error_message(), unimplemented_message("read_all"));
}

// --- Options refused at start ----------------------------------------------------------------

class KurrentOptions : public ::testing::Test {
protected:
    // eventstored with `options` exits 1 within 10 s, its log naming `expected`, never listening.
    void expect_refused(const std::string& options, const std::string& expected) {
        const auto config = dir_.write("eventstore.yaml", kurrent_config(port_, options));
        EventstoredProcess process({"--config", config.string()}, dir_);
        const auto exit_code = process.wait_for_exit(10s);
        ASSERT_TRUE(exit_code.has_value()) << "still running after 10 s; log:\n" << process.log();
        EXPECT_EQ(*exit_code, 1);
        EXPECT_THAT(process.log(), HasSubstr("backend 'kurrent' failed to open: " + expected));
        EXPECT_THAT(process.log(), Not(HasSubstr("listening on")));
        EXPECT_FALSE(is_listening(port_));
    }

    TempDir dir_;
    uint16_t port_ = free_port();
};

TEST_F(KurrentOptions, GivenAnotherScheme_WhenStarting_ThenItExitsNamingTheOptionAndScheme) {
    expect_refused("{connection_string: 'http://localhost:2113'}",
                   "option connection_string of the kurrent backend is not a KurrentDB connection "
                   "string: the scheme 'http' is not one of kurrentdb, kurrentdb+discover, esdb, "
                   "esdb+discover (expected kurrentdb://");
}

TEST_F(KurrentOptions, GivenAConnectionStringWithABadPort_WhenStarting_ThenItExitsNamingTheHost) {
    expect_refused("{connection_string: 'esdb://localhost:99999'}",
                   "option connection_string of the kurrent backend is not a KurrentDB connection "
                   "string: the port of host 'localhost:99999' is not a number from 1 to 65535");
}

TEST_F(KurrentOptions, GivenNoConnectionString_WhenStarting_ThenItExitsSayingItIsRequired) {
    expect_refused("{}", "option connection_string of the kurrent backend is required");
}

TEST_F(KurrentOptions, GivenAnUnknownOption_WhenStarting_ThenItExitsNamingTheKey) {
    expect_refused("{connection_string: 'kurrentdb://localhost:2113', pool_size: 4}",
                   "unknown option 'pool_size' for the kurrent backend (known: connection_string)");
}

TEST_F(KurrentOptions, GivenAnUnknownNestedOption_WhenStarting_ThenItExitsNamingTheFlattenedKey) {
    expect_refused("{connection_string: 'kurrentdb://localhost:2113', tls: {ca: /etc/ca.pem}}",
                   "unknown option 'tls.ca' for the kurrent backend");
}

}  // namespace
}  // namespace eventstore::test
