// KurrentDB's write side through the server (docs/kurrent-protocol.md, "Appends"): Append,
// BatchAppend, Delete and Tombstone with the generated Kurrent stubs against an in-process server
// on the memory plugin; every expected state, the errors as KurrentDB's clients decode them, bad
// input that writes nothing (read back through eventstore.v1), and the event mapping both ways.
#include <map>
#include <optional>

#include "kurrent/translate.hpp"
#include "streams.grpc.pb.h"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

namespace kp = event_store::client::streams;
namespace kc = event_store::client;
using server::kurrent::kCustomMetadataBase64Header;
using server::kurrent::kCustomMetadataHeader;

constexpr char kEventId[] = "0f8fad5b-d9cb-469f-a165-70867728950e";

kp::AppendReq::ProposedMessage proposed(const std::string& type = "Happened",
                                        const std::string& data = "{\"a\":1}",
                                        const std::string& custom_metadata = "",
                                        const std::string& id = "") {
    kp::AppendReq::ProposedMessage message;
    message.mutable_id()->set_string(id.empty() ? make_event().metadata().event_id() : id);
    (*message.mutable_metadata())["type"] = type;
    (*message.mutable_metadata())["content-type"] = "application/json";
    message.set_custom_metadata(custom_metadata);
    message.set_data(data);
    return message;
}

kp::AppendReq options(const std::string& stream) {
    kp::AppendReq request;
    request.mutable_options()->mutable_stream_identifier()->set_stream_name(stream);
    request.mutable_options()->mutable_any();
    return request;
}

kp::AppendReq message_of(const kp::AppendReq::ProposedMessage& message) {
    kp::AppendReq request;
    *request.mutable_proposed_message() = message;
    return request;
}

// One trailer of a finished call ("" when absent).
std::string trailer(const grpc::ClientContext& context, const std::string& key) {
    const auto& trailers = context.GetServerTrailingMetadata();
    const auto found = trailers.find(key);
    return found == trailers.end() ? "" : std::string(found->second.data(), found->second.size());
}

class KurrentAppendTest : public ServerTest {
protected:
    void SetUp() override {
        start("limits:\n  max_append_events: 5\n  max_append_bytes: 2000\n");
        kstub_ = kp::Streams::NewStub(channel_);
    }

    // Sends `requests` as one Append call; the context stays for its trailers.
    grpc::Status send(const std::vector<kp::AppendReq>& requests, kp::AppendResp* response) {
        context_ = context_with_deadline();
        auto writer = kstub_->Append(context_.get(), response);
        for (const kp::AppendReq& request : requests) {
            if (!writer->Write(request)) break;
        }
        writer->WritesDone();
        return writer->Finish();
    }

    // An Append of `messages` to `stream` with `expected` set on the options by the caller.
    template <class SetExpected>
    grpc::Status append(const std::string& stream, SetExpected&& expected,
                        const std::vector<kp::AppendReq::ProposedMessage>& messages,
                        kp::AppendResp* response) {
        std::vector<kp::AppendReq> requests{options(stream)};
        expected(*requests[0].mutable_options());
        for (const auto& message : messages) requests.push_back(message_of(message));
        return send(requests, response);
    }

    grpc::Status append_any(const std::string& stream,
                            const std::vector<kp::AppendReq::ProposedMessage>& messages,
                            kp::AppendResp* response) {
        return append(stream, [](kp::AppendReq::Options& o) { o.mutable_any(); }, messages, response);
    }

    // Nothing was written: the whole log is empty.
    void expect_nothing_written() {
        v1::ReadAllResponse all;
        ASSERT_TRUE(read_all(0, 100, "", &all).ok());
        EXPECT_EQ(all.events_size(), 0);
    }

    std::unique_ptr<kp::Streams::Stub> kstub_;
    std::unique_ptr<grpc::ClientContext> context_;
};

// --- Append: success, and the event as eventstore.v1 reads it ---

TEST_F(KurrentAppendTest, GivenNoStream_WhenAppendOneEvent_ThenRevision0AndV1ReadsTheSameEvent) {
    kp::AppendResp response;
    const auto status = append(
        "orders-1", [](kp::AppendReq::Options& o) { o.mutable_no_stream(); },
        {proposed("Placed", "{\"total\":3}", "{\"user\":\"u1\"}", kEventId)}, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_TRUE(response.has_success());
    EXPECT_EQ(response.success().current_revision(), 0u);
    const auto events = whole_stream("orders-1");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(response.success().position().commit_position(), events[0].global_position());
    EXPECT_EQ(response.success().position().prepare_position(), events[0].global_position());
    EXPECT_EQ(events[0].stream_version(), 1u);
    EXPECT_EQ(events[0].metadata().event_id(), kEventId);
    EXPECT_EQ(events[0].metadata().type_name(), "Placed");
    EXPECT_EQ(events[0].metadata().content_type(), "application/json");
    EXPECT_EQ(events[0].payload(), "{\"total\":3}");
    EXPECT_EQ(events[0].metadata().headers().at(std::string(kCustomMetadataHeader)), "{\"user\":\"u1\"}");
}

TEST_F(KurrentAppendTest, GivenStructuredUuid_WhenAppend_ThenStoredAsItsCanonicalText) {
    auto message = proposed();
    message.mutable_id()->mutable_structured()->set_most_significant_bits(0x0f8fad5bd9cb469f);
    message.mutable_id()->mutable_structured()->set_least_significant_bits(
        static_cast<int64_t>(0xa16570867728950eULL));
    kp::AppendResp response;
    ASSERT_TRUE(append_any("s", {message}, &response).ok());
    EXPECT_EQ(whole_stream("s").at(0).metadata().event_id(), kEventId);
}

TEST_F(KurrentAppendTest, GivenUppercaseBracedUuid_WhenAppend_ThenStoredLowercaseCanonical) {
    kp::AppendResp response;
    ASSERT_TRUE(append_any("s", {proposed("T", "x", "", "{0F8FAD5B-D9CB-469F-A165-70867728950E}")},
                           &response)
                    .ok());
    EXPECT_EQ(whole_stream("s").at(0).metadata().event_id(), kEventId);
}

TEST_F(KurrentAppendTest, GivenBinaryCustomMetadata_WhenAppend_ThenKeptInTheBase64Header) {
    const std::string binary("\xff\x00\x01{", 4);
    kp::AppendResp response;
    ASSERT_TRUE(append_any("s", {proposed("T", "x", binary)}, &response).ok());
    const auto events = whole_stream("s");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].metadata().headers().count(std::string(kCustomMetadataHeader)), 0u);
    EXPECT_EQ(events[0].metadata().headers().at(std::string(kCustomMetadataBase64Header)), "/wABew==");
    kp::ReadResp::ReadEvent::RecordedEvent out;
    server::kurrent::to_recorded_event(events[0], server::kurrent::UuidForm::string, &out);
    EXPECT_EQ(out.custom_metadata(), binary);
}

TEST_F(KurrentAppendTest, GivenARecordedEvent_WhenShownAsKurrent_ThenEveryFieldMaps) {
    kp::AppendResp response;
    ASSERT_TRUE(append_any("s", {proposed(), proposed("Second", "{}", "{\"m\":1}", kEventId)}, &response).ok());
    const auto events = whole_stream("s");
    ASSERT_EQ(events.size(), 2u);
    kp::ReadResp::ReadEvent::RecordedEvent out;
    server::kurrent::to_recorded_event(events[1], server::kurrent::UuidForm::structured, &out);
    EXPECT_EQ(out.id().structured().most_significant_bits(), 0x0f8fad5bd9cb469f);
    EXPECT_EQ(static_cast<uint64_t>(out.id().structured().least_significant_bits()), 0xa16570867728950eULL);
    EXPECT_EQ(out.stream_identifier().stream_name(), "s");
    EXPECT_EQ(out.stream_revision(), 1u);
    EXPECT_EQ(out.commit_position(), events[1].global_position());
    EXPECT_EQ(out.prepare_position(), events[1].global_position());
    EXPECT_EQ(out.metadata().at("type"), "Second");
    EXPECT_EQ(out.metadata().at("content-type"), "application/json");
    const int64_t us = events[1].recorded_at().seconds() * 1000000 + events[1].recorded_at().nanos() / 1000;
    EXPECT_EQ(out.metadata().at("created"), std::to_string(us * 10 + 621355968000000000));
    EXPECT_EQ(out.custom_metadata(), "{\"m\":1}");
    EXPECT_EQ(out.data(), "{}");
    server::kurrent::to_recorded_event(events[1], server::kurrent::UuidForm::string, &out);
    EXPECT_EQ(out.id().string(), kEventId);
}

TEST_F(KurrentAppendTest, GivenV1EventWithoutContentType_WhenShownAsKurrent_ThenOctetStream) {
    auto event = make_event("T", "raw");
    event.mutable_metadata()->clear_content_type();
    ASSERT_TRUE(ServerTest::append("s", {event}).ok());
    kp::ReadResp::ReadEvent::RecordedEvent out;
    server::kurrent::to_recorded_event(whole_stream("s").at(0), server::kurrent::UuidForm::string, &out);
    EXPECT_EQ(out.metadata().at("content-type"), "application/octet-stream");
    EXPECT_EQ(out.custom_metadata(), "");
}

// --- Append: each expected state ---

TEST_F(KurrentAppendTest, GivenAStream_WhenAppendExpectsItsRevision_ThenSuccessWithTheNextRevision) {
    append_n("s", 2);
    kp::AppendResp response;
    ASSERT_TRUE(append("s", [](kp::AppendReq::Options& o) { o.set_revision(1); }, {proposed()}, &response).ok());
    ASSERT_TRUE(response.has_success());
    EXPECT_EQ(response.success().current_revision(), 2u);
}

TEST_F(KurrentAppendTest, GivenAStreamAtRevision1_WhenAppendExpects0_ThenWrongExpectedVersionInTheResponse) {
    append_n("s", 2);
    kp::AppendResp response;
    const auto status =
        append("s", [](kp::AppendReq::Options& o) { o.set_revision(0); }, {proposed()}, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_TRUE(response.has_wrong_expected_version());
    const auto& wrong = response.wrong_expected_version();
    EXPECT_EQ(wrong.current_revision(), 1u);
    EXPECT_EQ(wrong.current_revision_20_6_0(), 1u);
    EXPECT_EQ(wrong.expected_revision(), 0u);
    EXPECT_EQ(wrong.expected_revision_20_6_0(), 0u);
    EXPECT_EQ(whole_stream("s").size(), 2u);
}

TEST_F(KurrentAppendTest, GivenAStream_WhenAppendExpectsNoStream_ThenWrongExpectedVersion) {
    append_n("s", 1);
    kp::AppendResp response;
    ASSERT_TRUE(append("s", [](kp::AppendReq::Options& o) { o.mutable_no_stream(); }, {proposed()}, &response).ok());
    ASSERT_TRUE(response.has_wrong_expected_version());
    EXPECT_TRUE(response.wrong_expected_version().has_expected_no_stream());
    EXPECT_EQ(response.wrong_expected_version().expected_revision_20_6_0(), UINT64_MAX);
    EXPECT_EQ(response.wrong_expected_version().current_revision(), 0u);
}

TEST_F(KurrentAppendTest, GivenNoStream_WhenAppendExpectsStreamExists_ThenWrongExpectedVersionWithNoStream) {
    kp::AppendResp response;
    ASSERT_TRUE(append("s", [](kp::AppendReq::Options& o) { o.mutable_stream_exists(); }, {proposed()}, &response).ok());
    ASSERT_TRUE(response.has_wrong_expected_version());
    EXPECT_TRUE(response.wrong_expected_version().has_expected_stream_exists());
    EXPECT_TRUE(response.wrong_expected_version().has_stream_exists_20_6_0());
    EXPECT_TRUE(response.wrong_expected_version().has_current_no_stream());
    EXPECT_TRUE(response.wrong_expected_version().has_no_stream_20_6_0());
    expect_nothing_written();
}

TEST_F(KurrentAppendTest, GivenAStream_WhenAppendExpectsStreamExists_ThenSuccess) {
    append_n("s", 1);
    kp::AppendResp response;
    ASSERT_TRUE(append("s", [](kp::AppendReq::Options& o) { o.mutable_stream_exists(); }, {proposed()}, &response).ok());
    EXPECT_EQ(response.success().current_revision(), 1u);
}

TEST_F(KurrentAppendTest, GivenAnyStream_WhenAppendExpectsAny_ThenSuccess) {
    kp::AppendResp response;
    ASSERT_TRUE(append_any("s", {proposed(), proposed()}, &response).ok());
    EXPECT_EQ(response.success().current_revision(), 1u);
    ASSERT_TRUE(append_any("s", {proposed()}, &response).ok());
    EXPECT_EQ(response.success().current_revision(), 2u);
}

TEST_F(KurrentAppendTest, GivenATombstonedStream_WhenAppend_ThenStreamDeletedTrailer) {
    append_n("s", 1);
    v1::TombstoneStreamRequest tombstone;
    tombstone.set_stream_id("s");
    v1::StreamState state;
    ASSERT_TRUE(stub_->TombstoneStream(context_with_deadline().get(), tombstone, &state).ok());
    kp::AppendResp response;
    const auto status = append_any("s", {proposed()}, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(trailer(*context_, "exception"), "stream-deleted");
    EXPECT_EQ(trailer(*context_, "stream-name"), "s");
}

// --- Append: bad input gets its documented error and writes nothing ---

TEST_F(KurrentAppendTest, GivenNoOptionsMessage_WhenAppend_ThenInvalidArgumentAndNothingWritten) {
    kp::AppendResp response;
    EXPECT_EQ(send({message_of(proposed())}, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(send({}, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    expect_nothing_written();
}

TEST_F(KurrentAppendTest, GivenOptionsTwice_WhenAppend_ThenInvalidArgument) {
    kp::AppendResp response;
    EXPECT_EQ(send({options("s"), options("s")}, &response).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    expect_nothing_written();
}

TEST_F(KurrentAppendTest, GivenNoOrUnknownExpectedRevisionCase_WhenAppend_ThenInvalidArgument) {
    kp::AppendReq first = options("s");
    first.mutable_options()->clear_any();
    kp::AppendResp response;
    EXPECT_EQ(send({first, message_of(proposed())}, &response).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    // A case added after this build: field 6 of Options, unknown to the server.
    std::string bytes = first.options().SerializeAsString() + std::string("\x32\x00", 2);
    ASSERT_TRUE(first.mutable_options()->ParseFromString(bytes));
    EXPECT_EQ(send({first, message_of(proposed())}, &response).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    expect_nothing_written();
}

TEST_F(KurrentAppendTest, GivenAnExpectedRevisionOutOfRange_WhenAppend_ThenInvalidArgument) {
    kp::AppendResp response;
    EXPECT_EQ(append("s", [](kp::AppendReq::Options& o) { o.set_revision(UINT64_MAX); }, {proposed()}, &response)
                  .error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    expect_nothing_written();
}

TEST_F(KurrentAppendTest, GivenMalformedOrMissingUuid_WhenAppend_ThenInvalidArgumentAndNothingWritten) {
    kp::AppendResp response;
    for (const std::string id : {"not-a-uuid", "0f8fad5b-d9cb-469f-a165-70867728950", "0f8fad5bxd9cb-469f-a165-70867728950e"}) {
        EXPECT_EQ(append_any("s", {proposed(), proposed("T", "x", "", id)}, &response).error_code(),
                  grpc::StatusCode::INVALID_ARGUMENT)
            << id;
    }
    auto no_id = proposed();
    no_id.clear_id();
    EXPECT_EQ(append_any("s", {no_id}, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    expect_nothing_written();
}

TEST_F(KurrentAppendTest, GivenAMessageWithoutTypeOrContentType_WhenAppend_ThenMissingRequiredMetadata) {
    for (const std::string key : {"type", "content-type"}) {
        auto message = proposed();
        message.mutable_metadata()->erase(key);
        kp::AppendResp response;
        const auto status = append_any("s", {proposed(), message}, &response);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << key;
        EXPECT_EQ(trailer(*context_, "exception"), "missing-required-metadata-property") << key;
        EXPECT_EQ(trailer(*context_, "required-metadata-properties"), "type,content-type");
    }
    expect_nothing_written();
}

TEST_F(KurrentAppendTest, GivenNoEvents_WhenAppend_ThenInvalidArgument) {
    kp::AppendResp response;
    EXPECT_EQ(append_any("s", {}, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    expect_nothing_written();
}

TEST_F(KurrentAppendTest, GivenAnAppendPastMaxAppendBytes_WhenAppend_ThenMaximumAppendSizeExceeded) {
    kp::AppendResp response;
    const auto status = append_any("s", {proposed("T", std::string(2500, 'x'))}, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(trailer(*context_, "exception"), "maximum-append-size-exceeded");
    EXPECT_EQ(trailer(*context_, "maximum-append-size"), "2000");
    expect_nothing_written();
}

TEST_F(KurrentAppendTest, GivenMetadataThatPassesMaxAppendBytes_WhenAppend_ThenTheCoreRefusesIt) {
    // Each payload is under the limit, the ids and types push the sum past it: the core's own
    // measure decides (validation::event_size).
    std::vector<kp::AppendReq::ProposedMessage> messages;
    for (int i = 0; i < 4; ++i) messages.push_back(proposed(std::string(120, 't'), std::string(430, 'x')));
    kp::AppendResp response;
    const auto status = append_any("s", messages, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_EQ(trailer(*context_, "exception"), "maximum-append-size-exceeded");
    EXPECT_NE(status.error_message().find("limits.max_append_bytes"), std::string::npos);
    expect_nothing_written();
}

TEST_F(KurrentAppendTest, GivenMoreEventsThanMaxAppendEvents_WhenAppend_ThenMaximumAppendSizeExceeded) {
    kp::AppendResp response;
    const auto status = append_any("s", std::vector<kp::AppendReq::ProposedMessage>(6, proposed("T", "x")), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(trailer(*context_, "exception"), "maximum-append-size-exceeded");
    EXPECT_NE(status.error_message().find("max_append_events"), std::string::npos);
    expect_nothing_written();
}

TEST_F(KurrentAppendTest, GivenAnEmptyType_WhenAppend_ThenTheCoresInvalidArgument) {
    kp::AppendResp response;
    const auto status = append_any("s", {proposed("")}, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(status.error_message().find("type_name"), std::string::npos);
    expect_nothing_written();
}

}  // namespace
}  // namespace eventstore::test
