// The subscription runtime (server/src/subscriptions/): the hand-over from catch-up to the shared
// tail, a subscriber that falls behind, batched delivery, cancellation mid-batch, and shutdown
// with many subscribers. docs/contract.md "Subscribe" and docs/architecture.md.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "observability/server_metrics.hpp"
#include "subscriber.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

using SubscriptionRuntimeTest = ServerTest;
using Clock = std::chrono::steady_clock;

// The events of a message, whichever way they came (event or batch).
std::vector<v1::RecordedEvent> events_of(const v1::SubscribeResponse& message) {
    if (message.has_event()) return {message.event()};
    if (message.has_batch()) return {message.batch().events().begin(), message.batch().events().end()};
    return {};
}

// The last global position a message tells the client about.
std::optional<uint64_t> position_of(const v1::SubscribeResponse& message) {
    if (message.has_checkpoint()) return message.checkpoint().global_position();
    if (message.has_caught_up()) return message.caught_up().global_position();
    const auto events = events_of(message);
    if (events.empty()) return std::nullopt;
    return events.back().global_position();
}

// Reads until the subscriber has every position after..until, in order; fails the test on a gap,
// a duplicate or a timeout.
void expect_contiguous(Subscriber& subscriber, uint64_t after, uint64_t until) {
    uint64_t expected = after + 1;
    while (expected <= until) {
        auto message = subscriber.next();
        ASSERT_TRUE(message) << "timed out waiting for position " << expected;
        for (const auto& event : events_of(*message)) {
            ASSERT_EQ(event.global_position(), expected) << "subscribed after " << after;
            ++expected;
        }
    }
}

std::vector<v1::EventData> events_with_payload(int count, size_t bytes) {
    std::vector<v1::EventData> events;
    for (int i = 0; i < count; ++i) events.push_back(make_event("Sized", std::string(bytes, 'p')));
    return events;
}

class HandOverTest : public ServerTest {
protected:
    // Small pages: catch-up and the tail move in small steps, so hand-overs happen mid-stream.
    void SetUp() override { start("subscriptions:\n  batch_size: 5\n"); }
};

TEST_F(HandOverTest, GivenConcurrentAppends_WhenThousandsOfSubscribersJoinTheTail_ThenNoneSeesAGapOrADuplicate) {
    constexpr int kIterations = 2000;
    constexpr uint64_t kEventsEach = 12;
    std::atomic<uint64_t> head{0};
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        while (!stop) {
            v1::AppendResponse response;
            if (!append("Writer", {make_event()}, {}, &response).ok()) return;
            head = response.last_global_position();
        }
    });
    // Long-lived members keep the tail reading ahead, so joiners meet it at every distance.
    Subscriber steady_a(*stub_, 0);
    Subscriber steady_b(*stub_, 0);
    const auto started = Clock::now();
    for (int i = 0; i < kIterations && !HasFatalFailure(); ++i) {
        const uint64_t now = head.load();
        const uint64_t after = now > static_cast<uint64_t>(i % 9) ? now - i % 9 : 0;
        Subscriber subscriber(*stub_, after);
        expect_contiguous(subscriber, after, after + kEventsEach);
    }
    stop = true;
    writer.join();
    expect_contiguous(steady_a, 0, head.load());
    expect_contiguous(steady_b, 0, head.load());
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(60));
}

class FallingBehindTest : public ServerTest {
protected:
    void SetUp() override {
        start("subscriptions:\n  max_buffered_events: 20\n  max_buffered_bytes: 65536\n");
    }
};

TEST_F(FallingBehindTest, GivenASubscriberThatDoesNotRead_WhenThousandsOfEventsAreAppended_ThenOthersGetThemAndItLaterReadsEverythingInOrder) {
    constexpr int kEvents = 5000;
    const uint64_t overflows_before = server::server_metrics().subscriber_overflows.value();
    grpc::ClientContext stalled_context;
    stalled_context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(1));
    auto stalled = stub_->Subscribe(&stalled_context, v1::SubscribeRequest());
    Subscriber healthy(*stub_, 0);
    ASSERT_TRUE(healthy.next()->has_caught_up());

    for (int i = 0; i < kEvents / 50; ++i) {
        ASSERT_TRUE(append("Bulk", events_with_payload(50, 1024)).ok());
    }
    expect_contiguous(healthy, 0, kEvents);
    EXPECT_GT(server::server_metrics().subscriber_overflows.value(), overflows_before)
        << "the stalled subscriber never left the tail";

    v1::SubscribeResponse message;
    uint64_t expected = 1;
    while (expected <= kEvents && stalled->Read(&message)) {
        for (const auto& event : events_of(message)) {
            ASSERT_EQ(event.global_position(), expected);
            ++expected;
        }
    }
    EXPECT_EQ(expected, static_cast<uint64_t>(kEvents) + 1);
    stalled_context.TryCancel();
}

class BatchTest : public ServerTest {
protected:
    void SetUp() override { start("subscriptions:\n  max_batch_events: 20\n"); }
};

TEST_F(BatchTest, GivenABatchClientAndASingleEventClient_WhenBothSubscribe_ThenEachGetsEverythingInItsOwnShape) {
    for (int i = 0; i < 30; ++i) append_n("History", 10);
    v1::SubscribeRequest batched;
    batched.set_max_batch_events(50);  // above the server's cap of 20
    Subscriber batch_client(*stub_, batched);
    Subscriber single_client(*stub_, 0);
    for (int i = 0; i < 10; ++i) append_n("Live", 10);

    for (Subscriber* client : {&batch_client, &single_client}) {
        const bool batches = client == &batch_client;
        uint64_t expected = 1;
        int caught_up = 0;
        size_t largest = 0;
        while (expected <= 400 || caught_up == 0) {  // caught_up may come after the last event
            auto message = client->next();
            ASSERT_TRUE(message) << "timed out at position " << expected;
            caught_up += message->has_caught_up();
            EXPECT_FALSE(batches ? message->has_event() : message->has_batch())
                << (batches ? "batch client got a single event" : "single client got a batch");
            const auto events = events_of(*message);
            largest = std::max(largest, events.size());
            for (const auto& event : events) ASSERT_EQ(event.global_position(), expected++);
        }
        EXPECT_EQ(caught_up, 1);
        if (batches) {
            EXPECT_GT(largest, 1u);
            EXPECT_LE(largest, 20u) << "max_batch_events not capped by the server";
        } else {
            EXPECT_EQ(largest, 1u);
        }
    }
}

TEST_F(BatchTest, GivenABatchClient_WhenItCancelsMidBatch_ThenTheCallEndsAndTheServerServesOn) {
    constexpr int kEvents = 2000;
    for (int i = 0; i < kEvents / 100; ++i) {
        ASSERT_TRUE(append("Big", events_with_payload(100, 4096)).ok());
    }
    const int64_t live_before = server::server_metrics().live_subscriptions.value();
    {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        v1::SubscribeRequest request;
        request.set_max_batch_events(20);
        auto reader = stub_->Subscribe(&context, request);
        v1::SubscribeResponse message;
        ASSERT_TRUE(reader->Read(&message));
        ASSERT_TRUE(message.has_batch());
        EXPECT_EQ(message.batch().events(0).global_position(), 1u);
        context.TryCancel();
        while (reader->Read(&message)) {
        }
        EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
    }
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (server::server_metrics().live_subscriptions.value() > live_before &&
           Clock::now() < deadline) {
        std::this_thread::yield();
    }
    EXPECT_EQ(server::server_metrics().live_subscriptions.value(), live_before)
        << "the cancelled subscription never ended on the server";
    Subscriber after(*stub_, kEvents - 1);
    expect_contiguous(after, kEvents - 1, kEvents);
}

// A Subscribe call on the client's callback API, so that a thousand need no thread each.
class Collector final : public grpc::ClientReadReactor<v1::SubscribeResponse> {
public:
    Collector(v1::EventStore::Stub& stub, uint64_t after) {
        {
            // The reactions run on gRPC's threads, handed over inside gRPC where ThreadSanitizer
            // cannot see it: this lock publishes the construction to them (they take it too).
            std::lock_guard lock(mutex_);
            request_.set_after_global_position(after);
            context_.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(2));
        }
        stub.async()->Subscribe(&context_, &request_, this);
        StartRead(&message_);
        StartCall();
    }
    ~Collector() override {
        context_.TryCancel();
        wait_done(std::chrono::seconds(10));
    }

    void OnReadDone(bool ok) override {
        if (!ok) return;
        {
            std::lock_guard lock(mutex_);
            if (auto at = position_of(message_)) last_heard_ = *at;
            caught_up_ = caught_up_ || message_.has_caught_up();
        }
        changed_.notify_all();
        StartRead(&message_);
    }
    void OnDone(const grpc::Status& status) override {
        {
            std::lock_guard lock(mutex_);
            status_ = status;
        }
        changed_.notify_all();
    }

    bool wait_caught_up(Clock::time_point until) {
        std::unique_lock lock(mutex_);
        return changed_.wait_until(lock, until, [&] { return caught_up_ || status_; }) && caught_up_;
    }
    std::optional<grpc::Status> wait_done(Clock::duration timeout) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return status_.has_value(); });
        return status_;
    }
    uint64_t last_heard() {
        std::lock_guard lock(mutex_);
        return last_heard_;
    }

private:
    grpc::ClientContext context_;
    v1::SubscribeRequest request_;
    v1::SubscribeResponse message_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool caught_up_ = false;
    uint64_t last_heard_ = 0;
    std::optional<grpc::Status> status_;
};

class ManySubscribersTest : public ServerTest {
protected:
    void SetUp() override { start("connections:\n  max_subscriptions_per_connection: 0\n"); }
};

TEST_F(ManySubscribersTest, GivenAThousandSubscribers_WhenTheServerShutsDown_ThenEachGetsUnavailableNamingItsResumePositionWithinTheGrace) {
    constexpr int kSubscribers = 1000;
    append_n("History", 10);
    std::vector<std::unique_ptr<Collector>> collectors;
    for (int i = 0; i < kSubscribers; ++i) {
        collectors.push_back(std::make_unique<Collector>(*stub_, i % 10));
    }
    const auto until = Clock::now() + std::chrono::seconds(60);
    for (auto& collector : collectors) ASSERT_TRUE(collector->wait_caught_up(until));
    append_n("Live", 5);

    const auto shutdown_started = Clock::now();
    std::thread stopper([&] { server_->shutdown(); });
    constexpr auto kGrace = std::chrono::milliseconds(2000);  // test_config's shutdown_grace_ms
    for (auto& collector : collectors) {
        const auto status = collector->wait_done(std::chrono::seconds(10));
        ASSERT_TRUE(status) << "a subscription did not end";
        EXPECT_EQ(status->error_code(), grpc::StatusCode::UNAVAILABLE) << status->error_message();
        const std::string resume =
            "resume after global position " + std::to_string(collector->last_heard());
        EXPECT_NE(status->error_message().find(resume), std::string::npos)
            << status->error_message() << " (expected: " << resume << ")";
    }
    EXPECT_LT(Clock::now() - shutdown_started, kGrace);
    stopper.join();
}

// A backend that cannot announce commits (tests/fixtures/memory_polling.cpp): the tail reads it
// every poll_interval_ms, and live subscribers get every event that way.
class PollingTailTest : public ServerTest {
protected:
    void SetUp() override {
        // A long checkpoint period: a tail that waited for notifications instead of polling would
        // read only once per period.
        start("subscriptions:\n  poll_interval_ms: 20\n  checkpoint_period_ms: 5000\n",
              FIXTURE_MEMORY_POLLING);
    }
};

TEST_F(PollingTailTest, GivenABackendWithoutNotifications_WhenEventsAreAppendedLive_ThenTheTailPollsThemToEverySubscriber) {
    const uint64_t notifications_before = server::server_metrics().tail_notifications.value();
    const uint64_t reads_before = server::server_metrics().tail_reads.value();
    Subscriber first(*stub_, 0);
    Subscriber second(*stub_, 0);
    for (Subscriber* subscriber : {&first, &second}) {
        const auto message = subscriber->next();
        ASSERT_TRUE(message && message->has_caught_up()) << "no caught_up on an empty store";
    }
    for (int i = 0; i < 30; ++i) append_n("Polled", 1);
    const auto appended = Clock::now();
    expect_contiguous(first, 0, 30);
    expect_contiguous(second, 0, 30);
    // A poll every 20 ms, and room for a loaded machine.
    EXPECT_LT(Clock::now() - appended, std::chrono::milliseconds(2000));
    EXPECT_EQ(server::server_metrics().tail_notifications.value(), notifications_before)
        << "this backend announces nothing";
    EXPECT_GT(server::server_metrics().tail_reads.value(), reads_before);
}

// A live subscriber whose prefix matches nothing that is appended still hears, by time, that the
// log moved past those positions: the tail queues checkpoints due by checkpoint_period_ms while it
// waits for commits.
class TimedCheckpointTest : public ServerTest {
protected:
    void SetUp() override {
        start("subscriptions:\n  checkpoint_interval: 1000000\n  checkpoint_period_ms: 50\n");
    }
};

TEST_F(TimedCheckpointTest, GivenALiveSubscriberWhosePrefixMatchesNothing_WhenOtherStreamsMove_ThenACheckpointArrivesWithinTwoPeriods) {
    Subscriber subscriber(*stub_, 0, "Mine-");
    const auto caught_up = subscriber.next();
    ASSERT_TRUE(caught_up && caught_up->has_caught_up());
    const uint64_t head = append_n("Other", 5).last_global_position();
    const auto appended = Clock::now();
    for (;;) {
        const auto message = subscriber.next(std::chrono::seconds(2));
        ASSERT_TRUE(message) << "no checkpoint reached position " << head;
        ASSERT_FALSE(message->has_event()) << "an event of another stream was delivered";
        if (message->has_checkpoint() && message->checkpoint().global_position() >= head) break;
    }
    // Two periods, and room for a loaded machine.
    EXPECT_LT(Clock::now() - appended, std::chrono::milliseconds(1000));
}

}  // namespace
}  // namespace eventstore::test
