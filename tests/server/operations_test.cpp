// What an operator sees: /metrics moving with traffic (asserted over HTTP), the probes, request
// ids on failed calls, the cap on subscriptions per connection and the per-connection stream
// limit. Metrics are process-wide, so the tests compare values before and after their traffic.
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "http_get.hpp"
#include "subscriber.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

class OperationsTest : public ServerTest {
protected:
    void SetUp() override { start("metrics:\n  listen: 127.0.0.1:0\n"); }

    std::map<std::string, double> scrape() {
        const HttpResponse response = http_get(server_->metrics_port(), "/metrics");
        EXPECT_EQ(response.status, 200);
        return parse_metrics(response.body);
    }

    // Waits until `name` has `value` in a scrape; false at the deadline.
    bool wait_for_metric(const std::string& name, double value) {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline) {
            if (scrape()[name] == value) return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }
};

TEST_F(OperationsTest, GivenTraffic_WhenScraping_ThenTheCountersAndHistogramsMovedByIt) {
    auto before = scrape();
    append_n("metrics-1", 2);
    append_n("metrics-1", 2);
    append_n("metrics-2", 2);
    EXPECT_EQ(append("metrics-1", {make_event()}, expect_exact(1)).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
    v1::ReadStreamResponse stream;
    ASSERT_TRUE(read_stream("metrics-1", 0, 0, true, &stream).ok());
    v1::ReadAllResponse all;
    ASSERT_TRUE(read_all(0, 0, "metrics-", &all).ok());
    {
        Subscriber subscriber(*stub_, 0, "metrics-");
        subscriber.events(6);
        EXPECT_TRUE(wait_for_metric("eventstore_live_subscriptions",
                                    before["eventstore_live_subscriptions"] + 1));
    }
    auto after = scrape();
    const auto delta = [&](const std::string& name) { return after[name] - before[name]; };
    EXPECT_EQ(delta("eventstore_requests_total{rpc=\"Append\",code=\"OK\"}"), 3);
    EXPECT_EQ(delta("eventstore_requests_total{rpc=\"Append\",code=\"FAILED_PRECONDITION\"}"), 1);
    EXPECT_EQ(delta("eventstore_requests_total{rpc=\"ReadStream\",code=\"OK\"}"), 1);
    EXPECT_EQ(delta("eventstore_appended_events_total"), 6);
    EXPECT_EQ(delta("eventstore_append_events_count"), 3);
    EXPECT_EQ(delta("eventstore_append_events_sum"), 6);
    EXPECT_EQ(delta("eventstore_append_events_bucket{le=\"2\"}"), 3);
    EXPECT_EQ(delta("eventstore_append_events_bucket{le=\"1\"}"), 0);
    EXPECT_EQ(delta("eventstore_request_duration_seconds_count{rpc=\"Append\"}"), 4);
    EXPECT_GT(delta("eventstore_request_duration_seconds_sum{rpc=\"Append\"}"), 0);
    EXPECT_EQ(delta("eventstore_request_duration_seconds_bucket{rpc=\"Append\",le=\"+Inf\"}"), 4);
    EXPECT_EQ(delta("eventstore_sent_events_total{rpc=\"ReadStream\"}"), 4);
    EXPECT_EQ(delta("eventstore_sent_events_total{rpc=\"ReadAll\"}"), 6);
    EXPECT_EQ(delta("eventstore_sent_events_total{rpc=\"Subscribe\"}"), 6);
    EXPECT_GE(delta("eventstore_subscriber_lag_positions_count"), 1);
    EXPECT_TRUE(wait_for_metric("eventstore_live_subscriptions", before["eventstore_live_subscriptions"]));
}

TEST_F(OperationsTest, GivenAServingServer_WhenProbing_ThenLiveAndReadyAndUnknownPathsAreNotFound) {
    const HttpResponse live = http_get(server_->metrics_port(), "/health/live");
    EXPECT_EQ(live.status, 200);
    EXPECT_EQ(live.body, "live\n");
    const HttpResponse ready = http_get(server_->metrics_port(), "/health/ready");
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(ready.body, "ready\n");
    EXPECT_EQ(http_get(server_->metrics_port(), "/metrics/extra").status, 404);
    EXPECT_EQ(http_get(server_->metrics_port(), "/").status, 404);
}

TEST_F(OperationsTest, GivenABackendWhoseHealthCheckFails_WhenProbing_ThenLiveButNotReadyNamingTheBackend) {
    start("metrics:\n  listen: 127.0.0.1:0\n", FIXTURE_HEALTH_FAILS);
    EXPECT_EQ(http_get(server_->metrics_port(), "/health/live").status, 200);
    const HttpResponse ready = http_get(server_->metrics_port(), "/health/ready");
    EXPECT_EQ(ready.status, 503);
    EXPECT_EQ(ready.body, "not ready: backend health-fails: fixture: storage unreachable (deliberate)\n");
}

TEST_F(OperationsTest, GivenAStoppedServer_WhenAskedIfReady_ThenNotServing) {
    EXPECT_TRUE(server_->ready().ok());
    server_->shutdown();
    EXPECT_EQ(server_->ready().message(), "the gRPC server is not serving");
}

TEST_F(OperationsTest, GivenNoMetricsListen_WhenStarted_ThenNoHttpPort) {
    start();
    EXPECT_EQ(server_->metrics_port(), 0);
}

TEST_F(OperationsTest, GivenATakenMetricsPort_WhenStarting_ThenItFailsNamingTheAddress) {
    const int taken = server_->metrics_port();
    auto config = server::parse_config(test_config("metrics:\n  listen: 127.0.0.1:" + std::to_string(taken) + "\n"),
                                       ".", "test config");
    ASSERT_TRUE(config.ok());
    auto second = server::Server::create(config.value());
    ASSERT_TRUE(second.ok());
    const Status started = second.value()->start();
    EXPECT_FALSE(started.ok());
    EXPECT_NE(started.message().find("cannot serve metrics on 127.0.0.1:" + std::to_string(taken)),
              std::string::npos)
        << started.message();
}

TEST_F(OperationsTest, GivenABackendThatCannotReachItsStorage_WhenCalled_ThenABackendErrorIsCounted) {
    start("metrics:\n  listen: 127.0.0.1:0\n", FIXTURE_DATA_UNAVAILABLE);
    const std::string name = "eventstore_backend_errors_total{code=\"UNAVAILABLE\"}";
    const double before = scrape()[name];
    EXPECT_EQ(append("S", {make_event()}).error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(scrape()[name] - before, 1);
}

TEST_F(OperationsTest, GivenABackendThatMissesItsDeadline_WhenCalled_ThenABackendErrorIsCounted) {
    start("metrics:\n  listen: 127.0.0.1:0\n", FIXTURE_DATA_DEADLINE_EXCEEDED);
    const std::string name = "eventstore_backend_errors_total{code=\"DEADLINE_EXCEEDED\"}";
    const double before = scrape()[name];
    const grpc::Status status = append("S", {make_event()});
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    EXPECT_EQ(status.error_message(), "fixture: append is not implemented");
    EXPECT_EQ(scrape()[name] - before, 1);
}

TEST_F(OperationsTest, GivenADeadlinePassedBeforeTheBackendWasAsked_WhenCalled_ThenNoBackendErrorIsCounted) {
    // A backend.timeout_ms of 0 (a file cannot say it: the least is 1) makes every deadline pass
    // before the server asks the backend, and this backend, if it were asked, would answer
    // DEADLINE_EXCEEDED itself and be counted (the test above).
    auto config = server::parse_config(
        test_config("metrics:\n  listen: 127.0.0.1:0\n", FIXTURE_DATA_DEADLINE_EXCEEDED), ".",
        "test config");
    ASSERT_TRUE(config.ok()) << config.status().message();
    config.value().backend.timeout = std::chrono::milliseconds(0);
    start_with(config.value());
    const auto before = scrape();
    const std::string refused = "the call's deadline passed before the backend was asked; nothing was done";
    const grpc::Status appended = append("S", {make_event()});
    EXPECT_EQ(appended.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    EXPECT_EQ(appended.error_message(), refused);
    v1::ReadStreamResponse stream;
    EXPECT_EQ(read_stream("S", 0, 0, true, &stream).error_message(), refused);
    v1::ReadAllResponse all;
    EXPECT_EQ(read_all(0, 0, "", &all).error_message(), refused);
    Subscriber subscriber(*stub_, 0);
    EXPECT_EQ(subscriber.finish().error_message(), refused);
    auto after = scrape();
    const auto delta = [&](const std::string& name) { return after[name] - before.at(name); };
    EXPECT_EQ(delta("eventstore_backend_errors_total{code=\"DEADLINE_EXCEEDED\"}"), 0);
    for (const char* rpc : {"Append", "ReadStream", "ReadAll", "Subscribe"}) {
        const std::string name = std::string("eventstore_requests_total{rpc=\"") + rpc +
                                 "\",code=\"DEADLINE_EXCEEDED\"}";
        EXPECT_EQ(after[name] - (before.count(name) ? before.at(name) : 0), 1) << name;
    }
}

// Captures the default logger's lines while alive.
class LogCapture {
public:
    LogCapture() : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_)) {
        spdlog::default_logger()->sinks().push_back(sink_);
    }
    ~LogCapture() {
        auto& sinks = spdlog::default_logger()->sinks();
        sinks.erase(std::find(sinks.begin(), sinks.end(), sink_));
    }
    std::string text() const { return lines_.str(); }

private:
    std::ostringstream lines_;
    std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

TEST_F(OperationsTest, GivenAFailedCall_WhenItEnds_ThenTheLogLineAndTheTrailerCarryOneRequestId) {
    start("", FIXTURE_DATA_UNAVAILABLE);
    LogCapture log;
    v1::AppendRequest request;
    request.set_stream_id("S");
    *request.add_events() = make_event();
    v1::AppendResponse response;
    grpc::ClientContext generated;
    ASSERT_EQ(stub_->Append(&generated, request, &response).error_code(), grpc::StatusCode::UNAVAILABLE);
    const auto trailer = generated.GetServerTrailingMetadata().find("x-request-id");
    ASSERT_NE(trailer, generated.GetServerTrailingMetadata().end());
    const std::string id(trailer->second.data(), trailer->second.size());
    EXPECT_EQ(id.size(), 36u) << id;
    EXPECT_NE(log.text().find("request " + id + ": /eventstore.v1.EventStore/Append from "),
              std::string::npos)
        << log.text();
    EXPECT_NE(log.text().find("failed with UNAVAILABLE: "), std::string::npos) << log.text();

    grpc::ClientContext chosen;
    chosen.AddMetadata("x-request-id", "client-42");
    ASSERT_FALSE(stub_->Append(&chosen, request, &response).ok());
    EXPECT_EQ(chosen.GetServerTrailingMetadata().find("x-request-id")->second, "client-42");
    EXPECT_NE(log.text().find("request client-42: "), std::string::npos) << log.text();

    grpc::ClientContext forged;
    forged.AddMetadata("x-request-id", "a b");
    ASSERT_FALSE(stub_->Append(&forged, request, &response).ok());
    EXPECT_EQ(forged.GetServerTrailingMetadata().find("x-request-id")->second.size(), 36u);
}

TEST_F(OperationsTest, GivenABackendBug_WhenACallFails_ThenItsMessageTrailerAndLogLineNameOneRequestId) {
    start("", FIXTURE_DATA_INTERNAL);
    LogCapture log;
    v1::AppendRequest request;
    request.set_stream_id("S");
    *request.add_events() = make_event();
    v1::AppendResponse response;
    // Ids as the server makes them (none sent; one it must replace) and as a client chose it.
    for (const std::string sent : {"", "a b", "client-7"}) {
        grpc::ClientContext context;
        if (!sent.empty()) context.AddMetadata("x-request-id", sent);
        const grpc::Status status = stub_->Append(&context, request, &response);
        ASSERT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
        const auto trailer = context.GetServerTrailingMetadata().find("x-request-id");
        ASSERT_NE(trailer, context.GetServerTrailingMetadata().end());
        const std::string id(trailer->second.data(), trailer->second.size());
        EXPECT_EQ(id.size(), sent == "client-7" ? sent.size() : 36u) << id;
        EXPECT_EQ(status.error_message(), "internal error " + id +
                                              " (the server log has the details): fixture: append "
                                              "is not implemented");
        EXPECT_NE(log.text().find("request " + id + ": /eventstore.v1.EventStore/Append from "),
                  std::string::npos)
            << log.text();
    }
    // Subscribe makes its error in the subscription, from the same call's context.
    Subscriber subscriber(*stub_, 0, "", {{"x-request-id", "subscriber-7"}});
    EXPECT_EQ(subscriber.finish().error_message(),
              "internal error subscriber-7 (the server log has the details): fixture: read_all is "
              "not implemented");
    EXPECT_NE(log.text().find("request subscriber-7: /eventstore.v1.EventStore/Subscribe from "),
              std::string::npos)
        << log.text();
}

TEST_F(OperationsTest, GivenACapOfTwoSubscriptionsPerConnection_WhenAThirdArrives_ThenResourceExhausted) {
    start("connections:\n  max_subscriptions_per_connection: 2\n");
    Subscriber first(*stub_, 0);
    Subscriber second(*stub_, 0);
    ASSERT_TRUE(first.next().has_value());   // caught_up: both hold their slot now
    ASSERT_TRUE(second.next().has_value());
    {
        Subscriber third(*stub_, 0);
        const grpc::Status refused = third.finish();
        EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
        EXPECT_NE(refused.error_message().find("connections.max_subscriptions_per_connection"),
                  std::string::npos);
    }
    grpc::ChannelArguments own_connection;
    own_connection.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto other = v1::EventStore::NewStub(grpc::CreateCustomChannel(
        "127.0.0.1:" + std::to_string(server_->port()), grpc::InsecureChannelCredentials(), own_connection));
    Subscriber elsewhere(*other, 0);
    EXPECT_TRUE(elsewhere.next().has_value()) << "another connection has its own slots";
}

TEST_F(OperationsTest, GivenOneStreamPerConnection_WhenASubscriptionHoldsIt_ThenAnotherCallWaits) {
    start("connections:\n  max_concurrent_streams: 1\n");
    Subscriber holder(*stub_, 0);
    ASSERT_TRUE(holder.next().has_value());
    v1::AppendRequest request;
    request.set_stream_id("S");
    *request.add_events() = make_event();
    v1::AppendResponse response;
    EXPECT_EQ(stub_->Append(context_with_deadline(1).get(), request, &response).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
}

}  // namespace
}  // namespace eventstore::test
