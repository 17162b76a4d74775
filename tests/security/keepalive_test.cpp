// Keepalive end to end, on the eventstored binary: a subscriber whose network path goes silent (a
// frozen TcpRelay between it and the server: no byte passes, no FIN or RST arrives) holds a live
// Subscribe. With `connections.keepalive_time_ms` and `keepalive_timeout_ms` at 1000 the server's
// ping goes unanswered and the server ends the call; with gRPC's default keepalive (two hours) the
// subscription stays live, which shows it is the keepalive that frees the slot. The live
// subscription gauge on /metrics tells which.
#include <iostream>

#include <gtest/gtest.h>

#include "http_get.hpp"
#include "process_support.hpp"
#include "subscriber.hpp"
#include "tcp_relay.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// How long the server may take to drop the silent subscriber: with both settings at 1000 ms, a
// ping is due within a second and its ack a second later. The control waits as long.
constexpr auto kDetection = 10s;
// How long the subscriber idles, answering pings, before its path goes silent: three pings, more
// than GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA's default of two, so the test also shows that the
// server's keepalive pings go on over a connection that carried no data for a while (as a
// subscription to a quiet stream does).
constexpr auto kIdle = 3500ms;

class KeepaliveTest : public ::testing::Test {
protected:
    // Starts eventstored on the memory backend with /metrics and the `connections` section
    // `connections` (YAML lines; empty: no section).
    void start(const std::string& connections) {
        const auto config = dir_.write(
            "eventstore.yaml",
            "listen: 127.0.0.1:" + std::to_string(port_) + "\nbackend:\n  plugin: " MEMORY_PLUGIN_PATH
            "\nmetrics:\n  listen: 127.0.0.1:" + std::to_string(metrics_port_) + "\n" +
                (connections.empty() ? "" : "connections:\n" + connections));
        server_ = std::make_unique<EventstoredProcess>(std::vector<std::string>{"--config", config.string()},
                                                       dir_);
        ASSERT_TRUE(server_->wait_for_log("listening on", 20s)) << server_->log();
    }

    // eventstore_live_subscriptions on /metrics; -1 when the page cannot be read.
    double live_subscriptions() const {
        const HttpResponse page = http_get(metrics_port_, "/metrics");
        if (page.status != 200) return -1;
        const auto samples = parse_metrics(page.body);
        const auto found = samples.find("eventstore_live_subscriptions");
        return found == samples.end() ? -1 : found->second;
    }

    // How long until the gauge reads `value`, or nothing if it does not within `timeout`.
    std::optional<Clock::duration> time_until_live_subscriptions(double value, Clock::duration timeout) const {
        const auto start = Clock::now();
        while (Clock::now() - start < timeout) {
            if (live_subscriptions() == value) return Clock::now() - start;
            std::this_thread::sleep_for(20ms);
        }
        return std::nullopt;
    }

    struct Silenced {
        std::optional<Clock::duration> freed;  // when the server ended the subscription, if it did
        double live_at_end;                    // the gauge at the end, with the path still silent
    };

    // Subscribes through a relay, waits until the subscription is live on the server, idles,
    // then freezes the relay and watches the gauge for kDetection.
    Silenced silence_a_live_subscriber() {
        TcpRelay relay(port_);
        auto stub = v1::EventStore::NewStub(grpc::CreateChannel(
            "127.0.0.1:" + std::to_string(relay.port()), grpc::InsecureChannelCredentials()));
        Subscriber subscriber(*stub, 0);
        const auto first = subscriber.next();
        EXPECT_TRUE(first.has_value() && first->has_caught_up());
        EXPECT_TRUE(time_until_live_subscriptions(1, 10s).has_value()) << live_subscriptions();
        std::this_thread::sleep_for(kIdle);  // the scenario: a quiet subscription, not a wait
        relay.freeze();
        const auto freed = time_until_live_subscriptions(0, kDetection);
        return {freed, live_subscriptions()};
    }

    TempDir dir_;
    uint16_t port_ = free_port();
    uint16_t metrics_port_ = free_port();
    std::unique_ptr<EventstoredProcess> server_;
};

TEST_F(KeepaliveTest, GivenKeepaliveOfOneSecond_WhenASubscribersPathGoesSilent_ThenTheServerEndsTheSubscription) {
    ASSERT_NO_FATAL_FAILURE(start("  keepalive_time_ms: 1000\n  keepalive_timeout_ms: 1000\n"));
    const auto silenced = silence_a_live_subscriber();
    ASSERT_TRUE(silenced.freed.has_value()) << "the gauge still reads " << silenced.live_at_end << " after "
                                            << kDetection.count() << " s\n"
                                            << server_->log();
    std::cout << "the server ended the silent subscription "
              << std::chrono::duration_cast<std::chrono::milliseconds>(*silenced.freed).count()
              << " ms after its path went silent\n";
}

TEST_F(KeepaliveTest, GivenGrpcsDefaultKeepalive_WhenASubscribersPathGoesSilent_ThenTheSubscriptionStaysLive) {
    ASSERT_NO_FATAL_FAILURE(start(""));
    const auto silenced = silence_a_live_subscriber();
    EXPECT_FALSE(silenced.freed.has_value());
    EXPECT_EQ(silenced.live_at_end, 1);
}

}  // namespace
}  // namespace eventstore::test
