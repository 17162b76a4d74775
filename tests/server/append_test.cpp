// docs/contract.md "Append": versions, positions, expected versions, idempotency, bad input, limits.
#include "test_server.hpp"

namespace eventstore::test {
namespace {

using AppendTest = ServerTest;

TEST_F(AppendTest, GivenNoStream_WhenAppendingThree_ThenVersionsStartAtOneAndPositionsAreConsecutive) {
    v1::AppendResponse response;
    ASSERT_TRUE(append("Order-1", {make_event(), make_event(), make_event()}, {}, &response).ok());
    EXPECT_EQ(response.current_version(), 3u);
    EXPECT_EQ(response.first_global_position(), 1u);
    EXPECT_EQ(response.last_global_position(), 3u);

    const auto events = whole_stream("Order-1");
    ASSERT_EQ(events.size(), 3u);
    for (uint64_t i = 0; i < 3; ++i) {
        EXPECT_EQ(events[i].stream_version(), i + 1);
        EXPECT_EQ(events[i].global_position(), i + 1);
    }
}

TEST_F(AppendTest, GivenTwoStreams_WhenAppending_ThenPositionsAreGlobalAndVersionsPerStream) {
    append_n("A", 2);
    const auto b = append_n("B", 1);
    EXPECT_EQ(b.current_version(), 1u);
    EXPECT_EQ(b.first_global_position(), 3u);
}

TEST_F(AppendTest, GivenNoStream_WhenExpectingNoStream_ThenItSucceedsOnceAndThenFailsWithTheActualVersion) {
    ASSERT_TRUE(append("S", {make_event()}, expect_no_stream()).ok());
    const grpc::Status second = append("S", {make_event()}, expect_no_stream());
    ASSERT_EQ(second.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    const auto detail = wrong_expected_version(second);
    EXPECT_EQ(detail.stream_id(), "S");
    EXPECT_TRUE(detail.expected().has_no_stream());
    EXPECT_EQ(detail.actual_version(), 1u);
    EXPECT_EQ(whole_stream("S").size(), 1u);
}

TEST_F(AppendTest, GivenNoStream_WhenExpectingStreamExists_ThenWrongExpectedVersionWithActualZero) {
    const grpc::Status status = append("S", {make_event()}, expect_stream_exists());
    ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(wrong_expected_version(status).actual_version(), 0u);
    v1::ReadStreamResponse page;
    EXPECT_EQ(read_stream("S", 0, 0, true, &page).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(AppendTest, GivenExistingStream_WhenExpectingStreamExists_ThenItSucceeds) {
    append_n("S", 1);
    v1::AppendResponse response;
    ASSERT_TRUE(append("S", {make_event()}, expect_stream_exists(), &response).ok());
    EXPECT_EQ(response.current_version(), 2u);
}

TEST_F(AppendTest, GivenStreamAtVersion3_WhenAppendExpects3_ThenItSucceeds) {
    append_n("S", 3);
    v1::AppendResponse response;
    ASSERT_TRUE(append("S", {make_event()}, expect_exact(3), &response).ok());
    EXPECT_EQ(response.current_version(), 4u);
}

TEST_F(AppendTest, GivenStreamAtVersion3_WhenAppendExpects2_ThenWrongExpectedVersionAndNothingWritten) {
    append_n("S", 3);
    const grpc::Status status = append("S", {make_event(), make_event()}, expect_exact(2));
    ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    const auto detail = wrong_expected_version(status);
    EXPECT_EQ(detail.expected().exact(), 2u);
    EXPECT_EQ(detail.actual_version(), 3u);
    EXPECT_EQ(whole_stream("S").size(), 3u);
    v1::ReadAllResponse all;
    ASSERT_TRUE(read_all(0, 100, "", &all).ok());
    EXPECT_EQ(all.events_size(), 3);
}

TEST_F(AppendTest, GivenNoStream_WhenExpectingExactZero_ThenItMeansNoStream) {
    ASSERT_TRUE(append("S", {make_event()}, expect_exact(0)).ok());
    const grpc::Status again = append("S", {make_event()}, expect_exact(0));
    ASSERT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(wrong_expected_version(again).actual_version(), 1u);
}

TEST_F(AppendTest, GivenAnEventWithoutId_WhenAppended_ThenTheServerAssignsAUuidV7) {
    v1::EventData event = make_event();
    event.mutable_metadata()->clear_event_id();
    ASSERT_TRUE(append("S", {event}).ok());
    const auto events = whole_stream("S");
    ASSERT_EQ(events.size(), 1u);
    const std::string& id = events[0].metadata().event_id();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '7') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
}

TEST_F(AppendTest, GivenAnAppend_WhenRetriedWithTheSameIds_ThenTheOriginalResultAndNothingWrittenTwice) {
    const std::vector<v1::EventData> events = {make_event(), make_event()};
    append_n("Other", 1);
    v1::AppendResponse first;
    ASSERT_TRUE(append("S", events, expect_no_stream(), &first).ok());
    append_n("Other", 1);
    v1::AppendResponse retry;
    const grpc::Status status = append("S", events, expect_no_stream(), &retry);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(retry.current_version(), first.current_version());
    EXPECT_EQ(retry.first_global_position(), first.first_global_position());
    EXPECT_EQ(retry.last_global_position(), first.last_global_position());
    EXPECT_EQ(whole_stream("S").size(), 2u);
}

TEST_F(AppendTest, GivenStoredEvents_WhenARequestOverlapsThemPartly_ThenAlreadyExistsAndNothingWritten) {
    const v1::EventData stored = make_event();
    ASSERT_TRUE(append("S", {stored}).ok());
    const grpc::Status status = append("S", {stored, make_event()});
    EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
    EXPECT_EQ(whole_stream("S").size(), 1u);
}

TEST_F(AppendTest, GivenAnIdStoredInAnotherStream_WhenReused_ThenAlreadyExists) {
    const v1::EventData stored = make_event();
    ASSERT_TRUE(append("A", {stored}).ok());
    const grpc::Status status = append("B", {stored});
    EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
    v1::ReadStreamResponse page;
    EXPECT_EQ(read_stream("B", 0, 0, true, &page).error_code(), grpc::StatusCode::NOT_FOUND);
}

// One bad request: the status must be INVALID_ARGUMENT naming `field`, and nothing is written.
struct BadInput {
    std::string name;
    std::string stream;
    std::function<void(std::vector<v1::EventData>&)> spoil;
    std::string field;
};

class BadInputTest : public ServerTest, public ::testing::WithParamInterface<BadInput> {};

TEST_P(BadInputTest, GivenBadInput_WhenAppending_ThenInvalidArgumentNamingTheFieldAndNothingWritten) {
    std::vector<v1::EventData> events = {make_event(), make_event(), make_event()};
    GetParam().spoil(events);
    const grpc::Status status = append(GetParam().stream, events);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(status.error_message().find(GetParam().field), std::string::npos)
        << status.error_message();
    v1::ReadAllResponse all;
    ASSERT_TRUE(read_all(0, 100, "", &all).ok());
    EXPECT_EQ(all.events_size(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Contract, BadInputTest,
    ::testing::Values(
        BadInput{"EmptyStreamId", "", [](auto&) {}, "stream_id"},
        BadInput{"StreamIdTooLong", std::string(257, 's'), [](auto&) {}, "stream_id"},
        BadInput{"StreamIdWithNul", std::string("a\0b", 3), [](auto&) {}, "stream_id"},
        BadInput{"NoEvents", "S", [](auto& e) { e.clear(); }, "events"},
        BadInput{"EmptyTypeName", "S",
                 [](auto& e) { e[2].mutable_metadata()->clear_type_name(); },
                 "events[2].metadata.type_name"},
        BadInput{"EventIdNotAUuid", "S",
                 [](auto& e) { e[1].mutable_metadata()->set_event_id("not-a-uuid"); },
                 "events[1].metadata.event_id"},
        BadInput{"EventIdWithoutDashes", "S",
                 [](auto& e) {
                     e[0].mutable_metadata()->set_event_id("0190a4b2c3d47e8f9a0b1c2d3e4f5a6b");
                 },
                 "events[0].metadata.event_id"},
        BadInput{"DuplicateIdsInOneRequest", "S",
                 [](auto& e) { e[2].mutable_metadata()->set_event_id(e[0].metadata().event_id()); },
                 "events[2].metadata.event_id"}),
    [](const auto& info) { return info.param.name; });

class LimitsTest : public ServerTest {
protected:
    void SetUp() override { start("limits:\n  max_append_events: 3\n  max_append_bytes: 1000\n"); }
};

TEST_F(LimitsTest, GivenMoreEventsThanTheLimit_WhenAppending_ThenResourceExhaustedNamingIt) {
    const grpc::Status status =
        append("S", {make_event(), make_event(), make_event(), make_event()});
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(status.error_message().find("max_append_events"), std::string::npos)
        << status.error_message();
    v1::ReadStreamResponse page;
    EXPECT_EQ(read_stream("S", 0, 0, true, &page).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(LimitsTest, GivenMoreBytesThanTheLimit_WhenAppending_ThenResourceExhaustedNamingIt) {
    const grpc::Status status = append("S", {make_event("Big", std::string(1001, 'x'))});
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(status.error_message().find("max_append_bytes"), std::string::npos)
        << status.error_message();
    v1::ReadStreamResponse page;
    EXPECT_EQ(read_stream("S", 0, 0, true, &page).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(LimitsTest, GivenEventsAtTheLimit_WhenAppending_ThenAccepted) {
    EXPECT_TRUE(append("S", {make_event(), make_event(), make_event()}).ok());
}

}  // namespace
}  // namespace eventstore::test
