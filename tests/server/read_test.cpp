// docs/contract.md "ReadStream", "ReadAll" and "What is preserved, byte for byte".
#include "test_server.hpp"

namespace eventstore::test {
namespace {

class ReadTest : public ServerTest {
protected:
    void SetUp() override { start("limits:\n  default_page_size: 4\n  max_page_size: 6\n"); }

    std::vector<uint64_t> versions(const v1::ReadStreamResponse& page) {
        std::vector<uint64_t> out;
        for (const auto& e : page.events()) out.push_back(e.stream_version());
        return out;
    }
};

TEST_F(ReadTest, GivenStreamOf10_WhenPagingForwardFromZeroByThree_ThenEveryVersionOnceInOrder) {
    append_n("S", 10);
    std::vector<uint64_t> seen;
    uint64_t from = 0;
    bool end = false;
    int pages = 0;
    while (!end && pages < 10) {
        v1::ReadStreamResponse page;
        ASSERT_TRUE(read_stream("S", from, 3, true, &page).ok());
        for (uint64_t v : versions(page)) seen.push_back(v);
        from = page.next_from_version();
        end = page.end_of_stream();
        ++pages;
    }
    EXPECT_EQ(pages, 4);
    EXPECT_EQ(seen, (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

TEST_F(ReadTest, GivenStreamOf10_WhenPagingBackwardFromZero_ThenFromTheLastDownToOne) {
    append_n("S", 10);
    v1::ReadStreamResponse first;
    ASSERT_TRUE(read_stream("S", 0, 4, false, &first).ok());
    EXPECT_EQ(versions(first), (std::vector<uint64_t>{10, 9, 8, 7}));
    EXPECT_FALSE(first.end_of_stream());
    EXPECT_EQ(first.next_from_version(), 6u);
    v1::ReadStreamResponse second;
    ASSERT_TRUE(read_stream("S", 6, 6, false, &second).ok());
    EXPECT_EQ(versions(second), (std::vector<uint64_t>{6, 5, 4, 3, 2, 1}));
    EXPECT_TRUE(second.end_of_stream());
}

TEST_F(ReadTest, GivenStream_WhenReadingBackwardFromTheMiddle_ThenAtOrBelowIt) {
    append_n("S", 5);
    v1::ReadStreamResponse page;
    ASSERT_TRUE(read_stream("S", 3, 0, false, &page).ok());
    EXPECT_EQ(versions(page), (std::vector<uint64_t>{3, 2, 1}));
    EXPECT_TRUE(page.end_of_stream());
}

TEST_F(ReadTest, GivenStream_WhenMaxCountIsZero_ThenTheDefaultPage) {
    append_n("S", 10);
    v1::ReadStreamResponse page;
    ASSERT_TRUE(read_stream("S", 0, 0, true, &page).ok());
    EXPECT_EQ(page.events_size(), 4);
}

TEST_F(ReadTest, GivenStream_WhenMaxCountIsAboveTheCap_ThenClamped) {
    append_n("S", 10);
    v1::ReadStreamResponse page;
    ASSERT_TRUE(read_stream("S", 0, 5000, true, &page).ok());
    EXPECT_EQ(page.events_size(), 6);
    v1::ReadAllResponse all;
    ASSERT_TRUE(read_all(0, 5000, "", &all).ok());
    EXPECT_EQ(all.events_size(), 6);
}

TEST_F(ReadTest, GivenStream_WhenReadingForwardPastTheEnd_ThenNoEventsAndEndOfStream) {
    append_n("S", 3);
    v1::ReadStreamResponse page;
    ASSERT_TRUE(read_stream("S", 4, 0, true, &page).ok());
    EXPECT_EQ(page.events_size(), 0);
    EXPECT_TRUE(page.end_of_stream());
}

TEST_F(ReadTest, GivenExactlyOnePageLeft_WhenReadingForward_ThenEndOfStreamOnThatPage) {
    append_n("S", 3);
    v1::ReadStreamResponse page;
    ASSERT_TRUE(read_stream("S", 1, 3, true, &page).ok());
    EXPECT_EQ(page.events_size(), 3);
    EXPECT_TRUE(page.end_of_stream());
}

TEST_F(ReadTest, GivenNoStream_WhenRead_ThenNotFound) {
    v1::ReadStreamResponse page;
    const grpc::Status status = read_stream("Missing-1", 0, 0, true, &page);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_NE(status.error_message().find("Missing-1"), std::string::npos);
}

TEST_F(ReadTest, GivenAnEmptyStreamId_WhenRead_ThenInvalidArgument) {
    v1::ReadStreamResponse page;
    EXPECT_EQ(read_stream("", 0, 0, true, &page).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ReadTest, GivenEventsInManyStreams_WhenReadingAllAfterAPosition_ThenAscendingAfterIt) {
    append_n("A-1", 2);
    append_n("B-1", 2);
    append_n("A-2", 1);
    v1::ReadAllResponse all;
    ASSERT_TRUE(read_all(2, 0, "", &all).ok());
    ASSERT_EQ(all.events_size(), 3);
    EXPECT_EQ(all.events(0).global_position(), 3u);
    EXPECT_EQ(all.events(2).global_position(), 5u);
    EXPECT_EQ(all.last_scanned_position(), 5u);
    EXPECT_TRUE(all.reached_head());
}

TEST_F(ReadTest, GivenEventsInManyStreams_WhenReadingAllWithAPrefix_ThenOnlyThoseStreams) {
    append_n("A-1", 2);
    append_n("B-1", 2);
    append_n("A-2", 1);
    v1::ReadAllResponse all;
    ASSERT_TRUE(read_all(0, 0, "A-", &all).ok());
    ASSERT_EQ(all.events_size(), 3);
    for (const auto& e : all.events()) EXPECT_EQ(e.stream_id().rfind("A-", 0), 0u);
    EXPECT_EQ(all.last_scanned_position(), 5u);
}

TEST_F(ReadTest, GivenAPrefixThatMatchesNothing_WhenReadingAll_ThenNoEventsButTheScanMovesForward) {
    append_n("A-1", 5);
    v1::ReadAllResponse all;
    ASSERT_TRUE(read_all(0, 0, "Z-", &all).ok());
    EXPECT_EQ(all.events_size(), 0);
    EXPECT_EQ(all.last_scanned_position(), 5u);
    EXPECT_TRUE(all.reached_head());
}

TEST_F(ReadTest, GivenMoreThanAPage_WhenReadingAll_ThenPagesResumeFromLastScanned) {
    append_n("S", 10);
    v1::ReadAllResponse first;
    ASSERT_TRUE(read_all(0, 0, "", &first).ok());
    EXPECT_EQ(first.events_size(), 4);
    EXPECT_FALSE(first.reached_head());
    EXPECT_EQ(first.last_scanned_position(), 4u);
}

TEST_F(ReadTest, GivenEveryMetadataFieldAndAwkwardPayloads_WhenReadBack_ThenIdenticalByteForByte) {
    v1::EventData full = make_event("Ordered.v2 — ünïcødé ✓", std::string("a\0b\0\0c", 6));
    auto* meta = full.mutable_metadata();
    meta->set_content_type("application/x-protobuf");
    meta->set_tenant_id("tenant-7 ✓");
    meta->set_correlation_id("corr-😀");
    meta->set_causation_id("");
    (*meta->mutable_headers())[""] = "empty key";
    (*meta->mutable_headers())["empty value"] = "";
    (*meta->mutable_headers())["ключ"] = "значение";
    for (int i = 0; i < 50; ++i) (*meta->mutable_headers())["h" + std::to_string(i)] = std::to_string(i);
    v1::EventData empty_payload = make_event("Empty", "");
    v1::EventData binary = make_event("Binary", std::string(200000, '\0') + "\xff\xfe");
    ASSERT_TRUE(append("tenant-7/Invoice-9", {full, empty_payload, binary}).ok());

    const std::vector<v1::EventData> sent = {full, empty_payload, binary};
    const auto check = [&](const v1::RecordedEvent& got, size_t i) {
        EXPECT_EQ(got.metadata().SerializeAsString().size(), sent[i].metadata().SerializeAsString().size());
        EXPECT_EQ(got.metadata().event_id(), sent[i].metadata().event_id());
        EXPECT_EQ(got.metadata().type_name(), sent[i].metadata().type_name());
        EXPECT_EQ(got.metadata().content_type(), sent[i].metadata().content_type());
        EXPECT_EQ(got.metadata().tenant_id(), sent[i].metadata().tenant_id());
        EXPECT_EQ(got.metadata().correlation_id(), sent[i].metadata().correlation_id());
        EXPECT_EQ(got.metadata().causation_id(), sent[i].metadata().causation_id());
        EXPECT_EQ(got.metadata().headers().size(), sent[i].metadata().headers().size());
        for (const auto& [key, value] : sent[i].metadata().headers()) {
            ASSERT_EQ(got.metadata().headers().count(key), 1u) << key;
            EXPECT_EQ(got.metadata().headers().at(key), value);
        }
        EXPECT_EQ(got.payload(), sent[i].payload());
        EXPECT_EQ(got.stream_id(), "tenant-7/Invoice-9");
    };
    const auto stream = whole_stream("tenant-7/Invoice-9");
    ASSERT_EQ(stream.size(), 3u);
    v1::ReadAllResponse all;
    ASSERT_TRUE(read_all(0, 0, "tenant-7/", &all).ok());
    ASSERT_EQ(all.events_size(), 3);
    for (size_t i = 0; i < 3; ++i) {
        check(stream[i], i);
        check(all.events(static_cast<int>(i)), i);
    }
}

TEST_F(ReadTest, GivenAppendsOverTime_WhenReadBack_ThenRecordedAtIsSetAndNonDecreasing) {
    const auto before = std::chrono::system_clock::now() - std::chrono::seconds(1);
    for (int i = 0; i < 5; ++i) append_n("S" + std::to_string(i), 1);
    v1::ReadAllResponse all;
    ASSERT_TRUE(read_all(0, 0, "", &all).ok());
    int64_t previous = 0;
    for (const auto& e : all.events()) {
        const int64_t micros = e.recorded_at().seconds() * 1000000 + e.recorded_at().nanos() / 1000;
        EXPECT_GE(micros, previous);
        EXPECT_GT(micros, std::chrono::duration_cast<std::chrono::microseconds>(
                              before.time_since_epoch()).count());
        EXPECT_EQ(e.recorded_at().nanos() % 1000, 0) << "microsecond precision";
        previous = micros;
    }
}

}  // namespace
}  // namespace eventstore::test
