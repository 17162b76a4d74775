// docs/contract.md "Subscribe": catch-up, caught_up, live, checkpoints, shutdown.
#include "subscriber.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

using SubscribeTest = ServerTest;

std::vector<uint64_t> positions(const std::vector<v1::RecordedEvent>& events) {
    std::vector<uint64_t> out;
    for (const auto& e : events) out.push_back(e.global_position());
    return out;
}

TEST_F(SubscribeTest, GivenHistory_WhenSubscribing_ThenCatchUpThenCaughtUpOnceThenLiveWithNoGapOrDuplicate) {
    append_n("A", 3);
    append_n("B", 2);
    Subscriber subscriber(*stub_, 0);
    EXPECT_EQ(positions(subscriber.events(5)), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
    auto caught_up = subscriber.next();
    ASSERT_TRUE(caught_up && caught_up->has_caught_up());
    EXPECT_EQ(caught_up->caught_up().global_position(), 5u);

    append_n("A", 2);
    append_n("C", 1);
    std::vector<uint64_t> live;
    while (live.size() < 3) {
        auto message = subscriber.next();
        ASSERT_TRUE(message) << "live event not delivered";
        ASSERT_FALSE(message->has_caught_up()) << "caught_up sent twice";
        if (message->has_event()) live.push_back(message->event().global_position());
    }
    EXPECT_EQ(live, (std::vector<uint64_t>{6, 7, 8}));
    auto extra = subscriber.next(std::chrono::milliseconds(300));
    EXPECT_FALSE(extra && extra->has_event()) << "duplicate delivery";
}

TEST_F(SubscribeTest, GivenAPosition_WhenSubscribingAfterIt_ThenDeliveryStartsAfterIt) {
    append_n("A", 5);
    Subscriber subscriber(*stub_, 3);
    EXPECT_EQ(positions(subscriber.events(2)), (std::vector<uint64_t>{4, 5}));
}

TEST_F(SubscribeTest, GivenAnEmptyStore_WhenSubscribing_ThenCaughtUpAtZeroThenLive) {
    Subscriber subscriber(*stub_, 0);
    auto first = subscriber.next();
    ASSERT_TRUE(first && first->has_caught_up());
    EXPECT_EQ(first->caught_up().global_position(), 0u);
    append_n("A", 1);
    EXPECT_EQ(positions(subscriber.events(1)), (std::vector<uint64_t>{1}));
}

TEST_F(SubscribeTest, GivenAPrefix_WhenSubscribing_ThenOnlyMatchingStreamsAndEveryMetadataField) {
    v1::EventData event = make_event("Typed", std::string("\0x", 2));
    (*event.mutable_metadata()->mutable_headers())["k"] = "";
    append_n("Other-1", 2);
    ASSERT_TRUE(append("Order-1", {event}).ok());
    Subscriber subscriber(*stub_, 0, "Order-");
    const auto events = subscriber.events(1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].stream_id(), "Order-1");
    EXPECT_EQ(events[0].metadata().event_id(), event.metadata().event_id());
    EXPECT_EQ(events[0].payload(), event.payload());
    EXPECT_EQ(events[0].metadata().headers().at("k"), "");
}

class CheckpointTest : public ServerTest {
protected:
    void SetUp() override {
        start("subscriptions:\n  checkpoint_interval: 10\n  batch_size: 5\n");
    }
};

TEST_F(CheckpointTest, GivenTheFilterSkipsManyEvents_WhenSubscribing_ThenCheckpointsAtLeastEveryInterval) {
    append_n("Skip-0", 3);
    append_n("Match-1", 1);  // position 4: mid-page, so pages and intervals do not line up
    for (int i = 1; i < 5; ++i) append_n("Skip-" + std::to_string(i), 10);
    append_n("Skip-5", 7);
    append_n("Match-1", 1);  // position 52
    Subscriber subscriber(*stub_, 0, "Match-");
    uint64_t last = 0;  // the last position the subscriber heard of
    int checkpoints = 0;
    std::vector<uint64_t> events;
    while (events.size() < 2) {
        auto message = subscriber.next();
        ASSERT_TRUE(message) << "no event after " << checkpoints << " checkpoints";
        const uint64_t at = message->has_checkpoint() ? message->checkpoint().global_position()
                                                      : message->event().global_position();
        EXPECT_GT(at, last);
        EXPECT_LE(at - last, 10u) << "more than 10 positions skipped without a checkpoint";
        last = at;
        if (message->has_checkpoint()) ++checkpoints;
        if (message->has_event()) events.push_back(at);
    }
    EXPECT_EQ(events, (std::vector<uint64_t>{4, 52}));
    EXPECT_GE(checkpoints, 4);

    // Live: skipped events still move the subscriber's checkpoint.
    ASSERT_TRUE(subscriber.next()->has_caught_up());
    for (int i = 0; i < 3; ++i) append_n("Skip-live", 10);
    std::optional<v1::SubscribeResponse> live;
    do {
        live = subscriber.next();
    } while (live && !live->has_checkpoint());
    ASSERT_TRUE(live) << "no checkpoint while live events were skipped";
    EXPECT_GT(live->checkpoint().global_position(), 51u);
}

TEST_F(SubscribeTest, GivenASubscriberThatDoesNotRead_WhenWritersAppendMuchMore_ThenWritersAreNotHeldAndItLaterGetsEverythingInOrder) {
    constexpr int kAppends = 400;
    const std::string payload(16 * 1024, 'p');  // 6.4 MB in all: far past gRPC's flow-control window
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(1));
    auto reader = stub_->Subscribe(&context, v1::SubscribeRequest());

    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < kAppends; ++i) {
        ASSERT_TRUE(append("Fast-writer", {make_event("Big", payload)}).ok());
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20))
        << "appends were held up by a subscriber that does not read";

    v1::SubscribeResponse message;
    uint64_t expected = 1;
    while (expected <= kAppends && reader->Read(&message)) {
        if (!message.has_event()) continue;
        ASSERT_EQ(message.event().global_position(), expected);
        ++expected;
    }
    EXPECT_EQ(expected, static_cast<uint64_t>(kAppends) + 1);
    context.TryCancel();
}

TEST_F(SubscribeTest, GivenALiveSubscription_WhenTheServerShutsDown_ThenTheStreamEndsWithUnavailable) {
    append_n("A", 2);
    Subscriber subscriber(*stub_, 0);
    subscriber.events(2);
    ASSERT_TRUE(subscriber.next()->has_caught_up());
    std::thread stopper([&] { server_->shutdown(); });
    const grpc::Status status = subscriber.finish();
    stopper.join();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_NE(status.error_message().find("resume after global position 2"), std::string::npos)
        << status.error_message();
}

}  // namespace
}  // namespace eventstore::test
