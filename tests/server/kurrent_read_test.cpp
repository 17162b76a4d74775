// docs/kurrent-protocol.md "Reads and subscriptions": KurrentDB's Read through the generated
// Kurrent stubs against an in-process server: count reads of a stream and of $all both ways,
// filters, subscriptions with confirmation, history, caught_up, live events and checkpoints, and
// requests refused before anything is read.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "streams.grpc.pb.h"
#include "subscriber.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

namespace ks = event_store::client::streams;
using Options = ks::ReadReq::Options;

class KurrentReadTest : public ServerTest {
protected:
    void SetUp() override {
        ServerTest::SetUp();
        kurrent_ = ks::Streams::NewStub(channel_);
    }

    // A request with the options every client sets: no filter, ids as strings.
    static ks::ReadReq request() {
        ks::ReadReq read;
        read.mutable_options()->mutable_no_filter();
        read.mutable_options()->mutable_uuid_option()->mutable_string();
        return read;
    }
    static ks::ReadReq stream_read(const std::string& stream, bool forward, uint64_t count,
                                   std::optional<uint64_t> revision = {}) {
        ks::ReadReq read = request();
        Options& options = *read.mutable_options();
        options.mutable_stream()->mutable_stream_identifier()->set_stream_name(stream);
        if (revision) {
            options.mutable_stream()->set_revision(*revision);
        } else if (forward) {
            options.mutable_stream()->mutable_start();
        } else {
            options.mutable_stream()->mutable_end();
        }
        options.set_read_direction(forward ? Options::Forwards : Options::Backwards);
        options.set_count(count);
        return read;
    }
    static ks::ReadReq all_read(bool forward, uint64_t count, std::optional<uint64_t> position = {}) {
        ks::ReadReq read = request();
        Options& options = *read.mutable_options();
        if (position) {
            options.mutable_all()->mutable_position()->set_commit_position(*position);
            options.mutable_all()->mutable_position()->set_prepare_position(*position);
        } else if (forward) {
            options.mutable_all()->mutable_start();
        } else {
            options.mutable_all()->mutable_end();
        }
        options.set_read_direction(forward ? Options::Forwards : Options::Backwards);
        options.set_count(count);
        return read;
    }

    // Every message of a count read, and its status.
    grpc::Status read_all_messages(const ks::ReadReq& read, std::vector<ks::ReadResp>& out) {
        auto context = context_with_deadline();
        auto reader = kurrent_->Read(context.get(), read);
        ks::ReadResp response;
        while (reader->Read(&response)) out.push_back(response);
        return reader->Finish();
    }
    std::vector<ks::ReadResp> read_ok(const ks::ReadReq& read) {
        std::vector<ks::ReadResp> out;
        const grpc::Status status = read_all_messages(read, out);
        EXPECT_TRUE(status.ok()) << status.error_message();
        return out;
    }

    void append_typed(const std::string& stream, const std::string& type, int count) {
        for (int i = 0; i < count; ++i) ASSERT_TRUE(append(stream, {make_event(type)}).ok());
    }

    std::unique_ptr<ks::Streams::Stub> kurrent_;
};

// The stream revisions of the events of `messages`.
std::vector<uint64_t> revisions(const std::vector<ks::ReadResp>& messages) {
    std::vector<uint64_t> out;
    for (const auto& m : messages) {
        if (m.has_event()) out.push_back(m.event().event().stream_revision());
    }
    return out;
}

std::vector<uint64_t> positions(const std::vector<ks::ReadResp>& messages) {
    std::vector<uint64_t> out;
    for (const auto& m : messages) {
        if (m.has_event()) out.push_back(m.event().commit_position());
    }
    return out;
}

TEST_F(KurrentReadTest, GivenASystemOrMetadataStream_WhenRead_ThenUnimplementedAndNothingStreamed) {
    append_n("order-1", 1);
    for (const std::string stream : {"$$order-1", "$ce-order", "$streams"}) {
        std::vector<ks::ReadResp> out;
        EXPECT_EQ(read_all_messages(stream_read(stream, true, 10), out).error_code(),
                  grpc::StatusCode::UNIMPLEMENTED)
            << stream;
        EXPECT_TRUE(out.empty());
    }
}

TEST_F(KurrentReadTest, GivenAStream_WhenReadForwardsAndBackwards_ThenRevisionsInOrderWithLimits) {
    append_n("order-1", 5);
    append_n("other", 1);
    const auto all = read_ok(stream_read("order-1", true, 100));
    EXPECT_EQ(revisions(all), (std::vector<uint64_t>{0, 1, 2, 3, 4}));
    const ks::ReadResp::ReadEvent& first = all.front().event();
    EXPECT_EQ(first.event().stream_identifier().stream_name(), "order-1");
    EXPECT_EQ(first.event().commit_position(), first.commit_position());
    EXPECT_EQ(first.event().prepare_position(), first.commit_position());
    EXPECT_EQ(first.event().id().string().size(), 36u);
    EXPECT_EQ(first.event().metadata().at("type"), "Happened");
    EXPECT_EQ(revisions(read_ok(stream_read("order-1", true, 2, 2))), (std::vector<uint64_t>{2, 3}));
    EXPECT_EQ(revisions(read_ok(stream_read("order-1", false, 2))), (std::vector<uint64_t>{4, 3}));
    EXPECT_EQ(revisions(read_ok(stream_read("order-1", false, 10, 1))), (std::vector<uint64_t>{1, 0}));
}

TEST_F(KurrentReadTest, GivenNoStream_WhenRead_ThenStreamNotFoundAndOk) {
    const auto messages = read_ok(stream_read("missing", true, 10));
    ASSERT_EQ(messages.size(), 1u);
    ASSERT_TRUE(messages[0].has_stream_not_found());
    EXPECT_EQ(messages[0].stream_not_found().stream_identifier().stream_name(), "missing");
}

TEST_F(KurrentReadTest, GivenATombstonedStream_WhenRead_ThenStreamDeletedTrailerAndNothingStreamed) {
    append_n("gone", 2);
    v1::TombstoneStreamRequest tombstone;
    tombstone.set_stream_id("gone");
    v1::StreamState state;
    auto tombstone_context = context_with_deadline();
    ASSERT_TRUE(stub_->TombstoneStream(tombstone_context.get(), tombstone, &state).ok());
    auto context = context_with_deadline();
    auto reader = kurrent_->Read(context.get(), stream_read("gone", true, 10));
    ks::ReadResp response;
    EXPECT_FALSE(reader->Read(&response));
    const grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    const auto& trailers = context->GetServerTrailingMetadata();
    const auto exception = trailers.find("exception");
    ASSERT_NE(exception, trailers.end());
    EXPECT_EQ(std::string(exception->second.data(), exception->second.size()), "stream-deleted");
}

TEST_F(KurrentReadTest, GivenStructuredUuidOption_WhenRead_ThenIdsStructured) {
    append_n("s", 1);
    ks::ReadReq read = stream_read("s", true, 1);
    read.mutable_options()->mutable_uuid_option()->mutable_structured();
    const auto messages = read_ok(read);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_TRUE(messages[0].event().event().id().has_structured());
}

TEST_F(KurrentReadTest, GivenTheLog_WhenAllReadBothWays_ThenForwardFromPositionInclusiveBackwardFromEndDescending) {
    append_n("a", 3);
    append_n("b", 2);
    EXPECT_EQ(positions(read_ok(all_read(true, 3))), (std::vector<uint64_t>{1, 2, 3}));
    EXPECT_EQ(positions(read_ok(all_read(true, 10, 4))), (std::vector<uint64_t>{4, 5}));
    EXPECT_EQ(positions(read_ok(all_read(false, 3))), (std::vector<uint64_t>{5, 4, 3}));
    EXPECT_EQ(positions(read_ok(all_read(false, 10, 2))), (std::vector<uint64_t>{2, 1}));
    EXPECT_TRUE(read_ok(all_read(true, 10, 6)).empty());
}

TEST_F(KurrentReadTest, GivenALongLog_WhenAllReadBackwards_ThenEveryEventOnceAcrossGrowingWindows) {
    for (int i = 0; i < 10; ++i) append_n("s-" + std::to_string(i), 30);
    const auto events = positions(read_ok(all_read(false, 1000)));
    ASSERT_EQ(events.size(), 300u);
    for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i], 300 - i);
}

TEST_F(KurrentReadTest, GivenABackendThatAnnouncesNoCommits_WhenAllReadBackwardsFromTheEnd_ThenTheHeadIsFoundAndEveryEventOnce) {
    start("", FIXTURE_MEMORY_POLLING);
    kurrent_ = ks::Streams::NewStub(channel_);
    for (int i = 0; i < 3; ++i) append_n("s-" + std::to_string(i), 40);
    EXPECT_EQ(positions(read_ok(all_read(false, 2))), (std::vector<uint64_t>{120, 119}));
    const auto events = positions(read_ok(all_read(false, 1000)));
    ASSERT_EQ(events.size(), 120u);
    EXPECT_EQ(events.back(), 1u);
}

ks::ReadReq filtered(ks::ReadReq read, bool on_type, const std::string& regex,
                     std::vector<std::string> prefixes, uint32_t window, uint32_t multiplier) {
    Options::FilterOptions& filter = *read.mutable_options()->mutable_filter();
    Options::FilterOptions::Expression& expression =
        on_type ? *filter.mutable_event_type() : *filter.mutable_stream_identifier();
    expression.set_regex(regex);
    for (const auto& prefix : prefixes) expression.add_prefix(prefix);
    filter.set_max(window);
    filter.set_checkpointintervalmultiplier(multiplier);
    return read;
}

// The Python client's default filter (docs/kurrent-protocol.md): no system or result types.
constexpr char kPythonDefault[] = R"(^(?!(\$.+$|PersistentConfig\d+$|Result$)))";

TEST_F(KurrentReadTest, GivenFilters_WhenAllRead_ThenOnlyMatchingEventsBothWays) {
    append_typed("order-1", "Placed", 2);
    append_typed("cart-1", "Result", 2);
    append_typed("order-2", "PersistentConfig1", 1);
    append_typed("order-3", "ResultX", 1);
    EXPECT_EQ(positions(read_ok(filtered(all_read(true, 100), false, "", {"order-"}, 32, 1))),
              (std::vector<uint64_t>{1, 2, 5, 6}));
    EXPECT_EQ(positions(read_ok(filtered(all_read(true, 100), false, "", {"cart-", "order-3"}, 32, 1))),
              (std::vector<uint64_t>{3, 4, 6}));
    EXPECT_EQ(positions(read_ok(filtered(all_read(true, 100), true, "", {"Res"}, 32, 1))),
              (std::vector<uint64_t>{3, 4, 6}));
    EXPECT_EQ(positions(read_ok(filtered(all_read(true, 100), true, kPythonDefault, {}, 30, 5))),
              (std::vector<uint64_t>{1, 2, 6}));
    EXPECT_EQ(positions(read_ok(filtered(all_read(false, 2), true, kPythonDefault, {}, 30, 5))),
              (std::vector<uint64_t>{6, 2}));
    EXPECT_EQ(positions(read_ok(filtered(all_read(true, 100), false, "^cart|-3$", {}, 32, 1))),
              (std::vector<uint64_t>{3, 4, 6}));
}

TEST_F(KurrentReadTest, GivenBadRequests_WhenRead_ThenInvalidArgumentAndNothingStreamed) {
    append_n("s", 2);
    std::vector<ks::ReadReq> bad;
    bad.push_back(ks::ReadReq());                                      // no options
    bad.push_back(request());                                          // no stream option
    bad.push_back(stream_read("s", true, 0));                          // count 0
    ks::ReadReq no_count = stream_read("s", true, 1);
    no_count.mutable_options()->clear_count_option();
    bad.push_back(no_count);
    ks::ReadReq no_uuid = stream_read("s", true, 1);
    no_uuid.mutable_options()->clear_uuid_option();
    bad.push_back(no_uuid);
    ks::ReadReq no_filter_option = stream_read("s", true, 1);
    no_filter_option.mutable_options()->clear_filter_option();
    bad.push_back(no_filter_option);
    bad.push_back(filtered(stream_read("s", true, 1), false, "", {"s"}, 32, 1));  // filter on a stream
    bad.push_back(filtered(all_read(true, 10), true, "(unclosed", {}, 32, 1));   // invalid regex
    ks::ReadReq backward_subscription = all_read(false, 1);
    backward_subscription.mutable_options()->mutable_subscription();
    bad.push_back(backward_subscription);
    for (size_t i = 0; i < bad.size(); ++i) {
        std::vector<ks::ReadResp> messages;
        const grpc::Status status = read_all_messages(bad[i], messages);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << "request " << i;
        EXPECT_TRUE(messages.empty()) << "request " << i;
    }
}

// A subscription read message by message, each within a deadline.
class Subscription {
public:
    Subscription(ks::Streams::Stub& stub, const ks::ReadReq& read)
        : context_(context_with_deadline(20)), reader_(stub.Read(context_.get(), read)) {}
    ~Subscription() { context_->TryCancel(); }

    ks::ReadResp next() {
        ks::ReadResp response;
        EXPECT_TRUE(reader_->Read(&response)) << "the subscription ended";
        return response;
    }
    // The call's status once the server ended it (every message before is dropped).
    grpc::Status finish() {
        ks::ReadResp response;
        while (reader_->Read(&response)) {
        }
        return reader_->Finish();
    }
    // The next `count` event positions; checkpoints seen meanwhile go to `checkpoints`.
    std::vector<uint64_t> events(size_t count, std::vector<uint64_t>* checkpoints = nullptr) {
        std::vector<uint64_t> out;
        while (out.size() < count) {
            const ks::ReadResp response = next();
            if (response.has_event()) out.push_back(response.event().commit_position());
            if (response.has_checkpoint() && checkpoints) {
                checkpoints->push_back(response.checkpoint().commit_position());
            }
            if (response.content_case() == ks::ReadResp::CONTENT_NOT_SET) break;
        }
        return out;
    }

private:
    std::unique_ptr<grpc::ClientContext> context_;
    std::unique_ptr<grpc::ClientReader<ks::ReadResp>> reader_;
};

ks::ReadReq subscription(ks::ReadReq read) {
    read.mutable_options()->mutable_subscription();
    return read;
}

TEST_F(KurrentReadTest, GivenHistory_WhenSubscribedToAllFromStart_ThenConfirmationHistoryCaughtUpThenLive) {
    append_n("a", 3);
    Subscription subscribed(*kurrent_, subscription(all_read(true, 1)));
    const ks::ReadResp confirmation = subscribed.next();
    ASSERT_TRUE(confirmation.has_confirmation());
    EXPECT_FALSE(confirmation.confirmation().subscription_id().empty());
    EXPECT_EQ(subscribed.events(3), (std::vector<uint64_t>{1, 2, 3}));
    const ks::ReadResp caught_up = subscribed.next();
    ASSERT_TRUE(caught_up.has_caught_up());
    EXPECT_EQ(caught_up.caught_up().position().commit_position(), 3u);
    EXPECT_TRUE(caught_up.caught_up().has_timestamp());
    append_n("b", 2);
    EXPECT_EQ(subscribed.events(2), (std::vector<uint64_t>{4, 5}));
}

TEST_F(KurrentReadTest, GivenAPosition_WhenSubscribedToAll_ThenStartsAfterItExclusive) {
    append_n("a", 5);
    Subscription subscribed(*kurrent_, subscription(all_read(true, 1, 3)));
    ASSERT_TRUE(subscribed.next().has_confirmation());
    EXPECT_EQ(subscribed.events(2), (std::vector<uint64_t>{4, 5}));
    ASSERT_TRUE(subscribed.next().has_caught_up());
}

TEST_F(KurrentReadTest, GivenAStream_WhenSubscribedFromARevision_ThenOnlyItsLaterEventsThenLive) {
    append_n("s", 3);
    append_n("s-other", 1);
    append_n("t", 1);
    Subscription subscribed(*kurrent_, subscription(stream_read("s", true, 1, 0)));
    ASSERT_TRUE(subscribed.next().has_confirmation());
    EXPECT_EQ(subscribed.events(2), (std::vector<uint64_t>{2, 3}));
    const ks::ReadResp caught_up = subscribed.next();
    ASSERT_TRUE(caught_up.has_caught_up());
    EXPECT_EQ(caught_up.caught_up().stream_revision(), 2) << "the revision of the last event sent";
    append_n("s-other", 1);
    append_n("s", 1);
    EXPECT_EQ(subscribed.events(1), (std::vector<uint64_t>{7}));
}

TEST_F(KurrentReadTest, GivenAFilterThatSkips_WhenSubscribedToAll_ThenCheckpointsEveryWindowTimesMultiplier) {
    append_typed("noise", "Skipped", 12);
    append_typed("order-1", "Placed", 1);
    Subscription subscribed(*kurrent_, subscription(filtered(all_read(true, 1), false, "", {"order-"}, 2, 2)));
    ASSERT_TRUE(subscribed.next().has_confirmation());
    std::vector<uint64_t> checkpoints;
    EXPECT_EQ(subscribed.events(1, &checkpoints), (std::vector<uint64_t>{13}));
    ASSERT_FALSE(checkpoints.empty());
    for (size_t i = 0; i < checkpoints.size(); ++i) {
        EXPECT_LE(checkpoints[i], 12u);
        if (i > 0) {
            EXPECT_GE(checkpoints[i] - checkpoints[i - 1], 4u);
        }
    }
}

TEST_F(KurrentReadTest, GivenTheConnectionsCapHeldByAV1Subscriber_WhenSubscribing_ThenResourceExhausted) {
    start("connections:\n  max_subscriptions_per_connection: 1\n");
    kurrent_ = ks::Streams::NewStub(channel_);
    Subscriber holder(*stub_, 0);
    ASSERT_TRUE(holder.next().has_value());  // caught_up: it holds the slot now
    Subscription refused(*kurrent_, subscription(all_read(true, 1)));
    const grpc::Status status = refused.finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(status.error_message().find("connections.max_subscriptions_per_connection"),
              std::string::npos);
}

TEST_F(KurrentReadTest, GivenASubscription_WhenTheServerShutsDown_ThenUnavailableNamingWhereToResume) {
    append_n("a", 2);
    Subscription subscribed(*kurrent_, subscription(all_read(true, 1)));
    ASSERT_TRUE(subscribed.next().has_confirmation());
    EXPECT_EQ(subscribed.events(2), (std::vector<uint64_t>{1, 2}));
    ASSERT_TRUE(subscribed.next().has_caught_up());
    stop();
    const grpc::Status status = subscribed.finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_NE(status.error_message().find("resume after global position 2"), std::string::npos)
        << status.error_message();
}

}  // namespace
}  // namespace eventstore::test
