// The eventstored program itself: start-up line, health, reflection, command line and a graceful
// SIGTERM, against the memory plugin, over a real loopback port.
#include <csignal>
#include <iostream>
#include <set>
#include <sstream>

#include <google/protobuf/descriptor.pb.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "http_get.hpp"
#include "process_support.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

class EventstoredTest : public ::testing::Test {
protected:
    void SetUp() override {
        port_ = free_port();
        const auto config = dir_.write("eventstore.yaml",
                                       "listen: 127.0.0.1:" + std::to_string(port_) +
                                           "\nbackend:\n  plugin: " MEMORY_PLUGIN_PATH "\n");
        process_ = std::make_unique<EventstoredProcess>(
            std::vector<std::string>{"--config", config.string()}, dir_);
        ASSERT_TRUE(process_->wait_for_log("listening on", 20s)) << process_->log();
        channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                       grpc::InsecureChannelCredentials());
    }

    static std::unique_ptr<grpc::ClientContext> context() {
        auto context = std::make_unique<grpc::ClientContext>();
        context->set_deadline(std::chrono::system_clock::now() + 10s);
        return context;
    }

    TempDir dir_;
    uint16_t port_ = 0;
    std::unique_ptr<EventstoredProcess> process_;
    std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(EventstoredTest, GivenTheMemoryPlugin_WhenStarted_ThenOneLineNamesVersionBackendAbiAndAddress) {
    const std::string log = process_->log();
    EXPECT_NE(log.find("eventstored " EVENTSTORE_VERSION " listening on 127.0.0.1:" +
                       std::to_string(port_) + " with backend memory 0.1.0 (ABI 1.5"),
              std::string::npos)
        << log;
}

TEST_F(EventstoredTest, GivenARunningServer_WhenCheckingHealth_ThenServing) {
    auto health = grpc::health::v1::Health::NewStub(channel_);
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(health->Check(context().get(), request, &response).ok());
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

// What grpcurl does before it calls a method: ask reflection for the file that defines the
// service, and read the service's methods from it.
TEST_F(EventstoredTest, GivenARunningServer_WhenReflectionDescribesTheHealthService_ThenItsFileHasCheckAndWatch) {
    auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel_);
    auto ctx = context();
    auto stream = reflection->ServerReflectionInfo(ctx.get());
    grpc::reflection::v1alpha::ServerReflectionRequest request;
    request.set_file_containing_symbol("grpc.health.v1.Health");
    ASSERT_TRUE(stream->Write(request));
    stream->WritesDone();
    grpc::reflection::v1alpha::ServerReflectionResponse response;
    ASSERT_TRUE(stream->Read(&response));
    ASSERT_TRUE(response.has_file_descriptor_response())
        << response.error_response().error_message();
    std::set<std::string> methods;
    for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
        google::protobuf::FileDescriptorProto file;
        ASSERT_TRUE(file.ParseFromString(bytes));
        if (file.package() != "grpc.health.v1") continue;
        for (const auto& service : file.service()) {
            if (service.name() != "Health") continue;
            for (const auto& method : service.method()) methods.insert(method.name());
        }
    }
    EXPECT_EQ(methods, (std::set<std::string>{"Check", "Watch"}));
    EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(EventstoredTest, GivenARunningServer_WhenCheckingTheApiServiceByName_ThenServingAndAnUnknownNameIsNotFound) {
    auto health = grpc::health::v1::Health::NewStub(channel_);
    grpc::health::v1::HealthCheckRequest request;
    request.set_service("eventstore.v1.EventStore");
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = health->Check(context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);

    request.set_service("eventstore.v1.NoSuchService");
    EXPECT_EQ(health->Check(context().get(), request, &response).error_code(),
              grpc::StatusCode::NOT_FOUND);
}

TEST_F(EventstoredTest, GivenARunningServer_WhenListingServicesThroughReflection_ThenTheApiHealthAndReflectionAreListed) {
    auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel_);
    auto ctx = context();
    auto stream = reflection->ServerReflectionInfo(ctx.get());
    grpc::reflection::v1alpha::ServerReflectionRequest request;
    request.set_list_services("");
    ASSERT_TRUE(stream->Write(request));
    stream->WritesDone();
    grpc::reflection::v1alpha::ServerReflectionResponse response;
    ASSERT_TRUE(stream->Read(&response));
    std::set<std::string> names;
    for (const auto& service : response.list_services_response().service()) {
        names.insert(service.name());
    }
    EXPECT_TRUE(names.count("eventstore.v1.EventStore"));
    EXPECT_TRUE(names.count("grpc.health.v1.Health"));
    EXPECT_TRUE(names.count("grpc.reflection.v1alpha.ServerReflection"));
    EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(EventstoredTest, GivenALiveSubscription_WhenSigterm_ThenTheStreamEndsUnavailableAndTheServerExitsZero) {
    auto stub = v1::EventStore::NewStub(channel_);
    v1::AppendRequest append;
    append.set_stream_id("S");
    auto* event = append.add_events();
    event->mutable_metadata()->set_type_name("Happened");
    v1::AppendResponse appended;
    ASSERT_TRUE(stub->Append(context().get(), append, &appended).ok());

    auto ctx = context();
    auto reader = stub->Subscribe(ctx.get(), v1::SubscribeRequest());
    v1::SubscribeResponse message;
    ASSERT_TRUE(reader->Read(&message) && message.has_event());
    ASSERT_TRUE(reader->Read(&message) && message.has_caught_up());

    process_->signal(SIGTERM);
    EXPECT_FALSE(reader->Read(&message));
    const grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_EQ(process_->wait_for_exit(15s), std::optional<int>(0)) << process_->log();
    EXPECT_NE(process_->log().find("received SIGTERM"), std::string::npos);
    EXPECT_FALSE(is_listening(port_));
}

TEST_F(EventstoredTest, GivenFiftyIdleClientChannels_WhenSigterm_ThenTheServerExitsWellWithinTheGrace) {
    // Each channel its own connection (no subchannel shared between channels), made by a call.
    std::vector<std::shared_ptr<grpc::Channel>> channels;
    for (int i = 0; i < 50; ++i) {
        grpc::ChannelArguments arguments;
        arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
        channels.push_back(grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port_),
                                                     grpc::InsecureChannelCredentials(), arguments));
        grpc::health::v1::HealthCheckResponse response;
        ASSERT_TRUE(grpc::health::v1::Health::NewStub(channels.back())
                        ->Check(context().get(), {}, &response)
                        .ok());
    }

    process_->signal(SIGTERM);
    ASSERT_EQ(process_->wait_for_exit(15s), std::optional<int>(0)) << process_->log();
    const auto took = process_->logged_between("received SIGTERM", "eventstored stopped");
    ASSERT_TRUE(took) << process_->log();
    // The grace (shutdown_grace_ms) is the default 5 s; nothing is in flight to wait for.
    std::cout << "shutdown with 50 idle channels took " << *took * 1000 << " ms\n";
    EXPECT_LT(*took, 0.5) << process_->log();
}

TEST(EventstoredLoggingTest, GivenJsonLogging_WhenStarted_ThenEachLineIsOneJsonObject) {
    TempDir dir;
    const uint16_t port = free_port();
    const auto config = dir.write("eventstore.yaml",
                                  "listen: 127.0.0.1:" + std::to_string(port) +
                                      "\nbackend:\n  plugin: " MEMORY_PLUGIN_PATH
                                      "\nlogging:\n  format: json\n  level: debug\n");
    EventstoredProcess process({"--config", config.string()}, dir);
    ASSERT_TRUE(process.wait_for_log("listening on", 20s)) << process.log();
    process.signal(SIGTERM);
    ASSERT_EQ(process.wait_for_exit(15s), std::optional<int>(0));
    std::istringstream lines(process.log());
    int count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
        EXPECT_EQ(line.rfind("{\"time\":\"", 0), 0u) << line;
        EXPECT_NE(line.find("\",\"level\":\""), std::string::npos) << line;
        EXPECT_EQ(line.substr(line.size() - 2), "\"}") << line;
    }
    EXPECT_GE(count, 3);
    EXPECT_NE(process.log().find("\"msg\":\"eventstored " EVENTSTORE_VERSION " listening on"),
              std::string::npos);
}

TEST(EventstoredCommandLineTest, GivenVersionOrHelp_WhenRun_ThenPrintsAndExitsZero) {
    TempDir dir;
    EventstoredProcess version({"--version"}, dir);
    EXPECT_EQ(version.wait_for_exit(10s), std::optional<int>(0));
    EXPECT_NE(version.out().find("eventstored " EVENTSTORE_VERSION " (plugin ABI 1.5)"),
              std::string::npos);
    EventstoredProcess help({"--help"}, dir);
    EXPECT_EQ(help.wait_for_exit(10s), std::optional<int>(0));
    EXPECT_NE(help.out().find("--check-config"), std::string::npos);
}

TEST(EventstoredCommandLineTest, GivenAnUnknownFlagOrAStrayWord_WhenRun_ThenUsageErrorExitTwo) {
    TempDir dir;
    EventstoredProcess wrong({"--no-such-flag"}, dir);
    EXPECT_EQ(wrong.wait_for_exit(10s), std::optional<int>(2));
    EXPECT_NE(wrong.log().find("no-such-flag"), std::string::npos) << wrong.log();
    EventstoredProcess stray({"eventstore.yaml"}, dir);
    EXPECT_EQ(stray.wait_for_exit(10s), std::optional<int>(2));
}

TEST(EventstoredMetricsTest, GivenMetricsListen_WhenEventsAreAppended_ThenMetricsOverHttpCountThemAndTheProbesAnswer) {
    TempDir dir;
    const uint16_t port = free_port();
    const uint16_t metrics_port = free_port();
    const auto config = dir.write("eventstore.yaml",
                                  "listen: 127.0.0.1:" + std::to_string(port) +
                                      "\nbackend:\n  plugin: " MEMORY_PLUGIN_PATH
                                      "\nmetrics:\n  listen: 127.0.0.1:" + std::to_string(metrics_port) + "\n");
    EventstoredProcess process({"--config", config.string()}, dir);
    ASSERT_TRUE(process.wait_for_log("listening on", 20s)) << process.log();
    EXPECT_NE(process.log().find("metrics and probes on http://127.0.0.1:" + std::to_string(metrics_port)),
              std::string::npos)
        << process.log();
    EXPECT_EQ(http_get(metrics_port, "/health/live").status, 200);
    EXPECT_EQ(http_get(metrics_port, "/health/ready").status, 200);

    auto stub = v1::EventStore::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
    for (int i = 0; i < 5; ++i) {
        v1::AppendRequest append;
        append.set_stream_id("S");
        append.add_events()->mutable_metadata()->set_type_name("Happened");
        append.add_events()->mutable_metadata()->set_type_name("Happened");
        v1::AppendResponse appended;
        grpc::ClientContext context;
        ASSERT_TRUE(stub->Append(&context, append, &appended).ok());
    }
    const HttpResponse scrape = http_get(metrics_port, "/metrics");
    ASSERT_EQ(scrape.status, 200);
    auto metrics = parse_metrics(scrape.body);
    EXPECT_EQ(metrics["eventstore_requests_total{rpc=\"Append\",code=\"OK\"}"], 5);
    EXPECT_EQ(metrics["eventstore_appended_events_total"], 10);
    EXPECT_EQ(metrics["eventstore_request_duration_seconds_count{rpc=\"Append\"}"], 5);
}

}  // namespace
}  // namespace eventstore::test
