// KurrentDB's write side through the server (docs/kurrent-protocol.md, "Appends"): Append,
// BatchAppend, Delete and Tombstone with the generated Kurrent stubs against an in-process server
// on the memory plugin; every expected state, the errors as KurrentDB's clients decode them, bad
// input that writes nothing (read back through eventstore.v1), and the event mapping both ways.
#include <map>
#include <optional>
#include <set>

#include "google/rpc/status.pb.h"
#include "kurrent/translate.hpp"
#include "security/crypto.hpp"
#include "streams.grpc.pb.h"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

namespace kp = event_store::client::streams;
namespace kc = event_store::client;
using server::kurrent::kCustomMetadataBase64Header;
using server::kurrent::kCustomMetadataHeader;

constexpr char kEventId[] = "0f8fad5b-d9cb-469f-a165-70867728950e";

// A recorded event as the server shows it to a KurrentDB client: its message parsed back, which
// must be a whole ReadResp.event with the event's commit position.
kp::ReadResp::ReadEvent::RecordedEvent shown(const v1::RecordedEvent& event,
                                             server::kurrent::UuidForm form) {
    kp::ReadResp response;
    EXPECT_TRUE(response.ParseFromString(server::kurrent::read_event_message(event, form)));
    EXPECT_TRUE(response.has_event());
    EXPECT_EQ(response.event().commit_position(), event.global_position());
    EXPECT_FALSE(response.event().has_link());
    return response.event().event();
}

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
    EXPECT_EQ(shown(events[0], server::kurrent::UuidForm::string).custom_metadata(), binary);
}

TEST_F(KurrentAppendTest, GivenARecordedEvent_WhenShownAsKurrent_ThenEveryFieldMaps) {
    kp::AppendResp response;
    ASSERT_TRUE(append_any("s", {proposed(), proposed("Second", "{}", "{\"m\":1}", kEventId)}, &response).ok());
    const auto events = whole_stream("s");
    ASSERT_EQ(events.size(), 2u);
    auto out = shown(events[1], server::kurrent::UuidForm::structured);
    EXPECT_EQ(out.id().structured().most_significant_bits(), 0x0f8fad5bd9cb469f);
    EXPECT_EQ(static_cast<uint64_t>(out.id().structured().least_significant_bits()), 0xa16570867728950eULL);
    EXPECT_EQ(out.stream_identifier().stream_name(), "s");
    EXPECT_EQ(out.stream_revision(), 1u);
    EXPECT_EQ(out.commit_position(), events[1].global_position());
    EXPECT_EQ(out.prepare_position(), events[1].global_position());
    EXPECT_EQ(out.metadata().at("type"), "Second");
    EXPECT_EQ(out.metadata().at("content-type"), "application/json");
    const int64_t us = events[1].recorded_at().seconds() * 1000000 + events[1].recorded_at().nanos() / 1000;
    EXPECT_EQ(out.metadata().at("created"), std::to_string(us * 10));
    EXPECT_EQ(out.custom_metadata(), "{\"m\":1}");
    EXPECT_EQ(out.data(), "{}");
    EXPECT_EQ(shown(events[1], server::kurrent::UuidForm::string).id().string(), kEventId);
}

TEST_F(KurrentAppendTest, GivenV1EventWithoutContentType_WhenShownAsKurrent_ThenOctetStream) {
    auto event = make_event("T", "raw");
    event.mutable_metadata()->clear_content_type();
    ASSERT_TRUE(ServerTest::append("s", {event}).ok());
    const auto out = shown(whole_stream("s").at(0), server::kurrent::UuidForm::string);
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
    EXPECT_EQ(response.wrong_expected_version().current_revision_option_case(),
              kp::AppendResp::WrongExpectedVersion::kCurrentRevision);
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

TEST_F(KurrentAppendTest, GivenASystemOrMetadataStream_WhenAppend_ThenUnimplementedAndNothingWritten) {
    for (const std::string stream : {"$$order-1", "$ce-order", "$settings"}) {
        kp::AppendResp response;
        const grpc::Status status = append_any(stream, {proposed()}, &response);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED) << stream;
        EXPECT_NE(status.error_message().find("docs/kurrent-protocol.md"), std::string::npos)
            << status.error_message();
    }
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

// --- BatchAppend ---

kp::BatchAppendReq batch_options(const std::string& correlation, const std::string& stream) {
    kp::BatchAppendReq request;
    request.mutable_correlation_id()->set_string(correlation);
    request.mutable_options()->mutable_stream_identifier()->set_stream_name(stream);
    request.mutable_options()->mutable_any();
    return request;
}

kp::BatchAppendReq::ProposedMessage batch_message(const std::string& type = "Happened",
                                                  const std::string& data = "{}") {
    const auto single = proposed(type, data);
    kp::BatchAppendReq::ProposedMessage message;
    *message.mutable_id() = single.id();
    *message.mutable_metadata() = single.metadata();
    message.set_data(data);
    return message;
}

// The one detail of a batch's error, unpacked as `Detail` (fails the test when it is another).
template <class Detail>
Detail detail_of(const kp::BatchAppendResp& response) {
    Detail detail;
    EXPECT_TRUE(response.has_error());
    EXPECT_EQ(response.error().details_size(), 1);
    if (response.error().details_size() == 1) {
        EXPECT_TRUE(response.error().details(0).UnpackTo(&detail)) << response.error().details(0).type_url();
    }
    return detail;
}

constexpr char kC1[] = "11111111-1111-4111-8111-111111111111";
constexpr char kC2[] = "22222222-2222-4222-8222-222222222222";

class KurrentBatchAppendTest : public KurrentAppendTest {
protected:
    // Sends `requests` on one BatchAppend call, half-closes, and returns every response by
    // correlation id (its string form) once the call ended OK.
    std::vector<kp::BatchAppendResp> batch(const std::vector<kp::BatchAppendReq>& requests) {
        auto context = context_with_deadline();
        auto stream = kstub_->BatchAppend(context.get());
        for (const auto& request : requests) EXPECT_TRUE(stream->Write(request));
        stream->WritesDone();
        std::vector<kp::BatchAppendResp> responses;
        kp::BatchAppendResp response;
        while (stream->Read(&response)) responses.push_back(response);
        const auto status = stream->Finish();
        EXPECT_TRUE(status.ok()) << status.error_message();
        return responses;
    }

    // One final batch of `count` events to `stream` with the expected position set by `expected`.
    template <class SetExpected>
    kp::BatchAppendResp one_batch(const std::string& stream, SetExpected&& expected, int count = 1) {
        auto request = batch_options(kC1, stream);
        expected(*request.mutable_options());
        for (int i = 0; i < count; ++i) *request.add_proposed_messages() = batch_message();
        request.set_is_final(true);
        const auto responses = batch({request});
        EXPECT_EQ(responses.size(), 1u);
        return responses.empty() ? kp::BatchAppendResp() : responses[0];
    }
};

TEST_F(KurrentBatchAppendTest, GivenAMetadataStream_WhenOneFinalBatch_ThenAnUnimplementedErrorAndNothingWritten) {
    const auto response =
        one_batch("$$s", [](kp::BatchAppendReq::Options& o) { o.mutable_any(); });
    ASSERT_TRUE(response.has_error());
    EXPECT_EQ(response.error().code(), static_cast<int>(grpc::StatusCode::UNIMPLEMENTED));
    EXPECT_EQ(response.stream_identifier().stream_name(), "$$s");
    expect_nothing_written();
}

TEST_F(KurrentBatchAppendTest, GivenNoStream_WhenOneFinalBatch_ThenSuccessEchoingCorrelationAndStream) {
    const auto response =
        one_batch("s", [](kp::BatchAppendReq::Options& o) { o.mutable_no_stream(); }, 2);
    ASSERT_TRUE(response.has_success()) << response.error().message();
    EXPECT_EQ(response.correlation_id().string(), kC1);
    EXPECT_EQ(response.stream_identifier().stream_name(), "s");
    EXPECT_TRUE(response.has_no_stream());
    EXPECT_EQ(response.success().current_revision_option_case(),
              kp::BatchAppendResp::Success::kCurrentRevision);
    EXPECT_EQ(response.success().current_revision(), 1u);
    const auto events = whole_stream("s");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(response.success().position().commit_position(), events[1].global_position());
    EXPECT_EQ(response.success().position().prepare_position(), events[1].global_position());
}

TEST_F(KurrentBatchAppendTest, GivenTwoCorrelationsInterleaved_WhenBothFinal_ThenEachAnsweredAndWritten) {
    auto a1 = batch_options(kC1, "a");
    *a1.add_proposed_messages() = batch_message("A1");
    auto b = batch_options(kC2, "b");
    *b.add_proposed_messages() = batch_message("B1");
    b.set_is_final(true);
    kp::BatchAppendReq a2;
    a2.mutable_correlation_id()->set_string(kC1);
    *a2.add_proposed_messages() = batch_message("A2");
    a2.set_is_final(true);
    const auto responses = batch({a1, b, a2});
    ASSERT_EQ(responses.size(), 2u);
    std::map<std::string, kp::BatchAppendResp> by_correlation;
    for (const auto& response : responses) by_correlation[response.correlation_id().string()] = response;
    EXPECT_EQ(by_correlation[kC1].success().current_revision(), 1u);
    EXPECT_EQ(by_correlation[kC2].success().current_revision(), 0u);
    const auto a = whole_stream("a");
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a[0].metadata().type_name(), "A1");
    EXPECT_EQ(a[1].metadata().type_name(), "A2");
    EXPECT_EQ(whole_stream("b").size(), 1u);
}

TEST_F(KurrentBatchAppendTest, GivenAStreamAtRevision0_WhenBatchExpectsPosition5_ThenWrongExpectedVersionDetail) {
    append_n("s", 1);
    const auto response =
        one_batch("s", [](kp::BatchAppendReq::Options& o) { o.set_stream_position(5); });
    EXPECT_EQ(response.error().code(), grpc::StatusCode::ALREADY_EXISTS);
    EXPECT_EQ(response.error().message(), "WrongExpectedVersion");
    const auto wrong = detail_of<kc::WrongExpectedVersion>(response);
    EXPECT_EQ(wrong.current_stream_revision(), 0u);
    EXPECT_EQ(wrong.expected_stream_position(), 5u);
    EXPECT_EQ(response.stream_identifier().stream_name(), "s");
    EXPECT_EQ(whole_stream("s").size(), 1u);
}

TEST_F(KurrentBatchAppendTest, GivenAStream_WhenBatchExpectsNoStream_ThenWrongExpectedVersionDetail) {
    append_n("s", 2);
    const auto wrong = detail_of<kc::WrongExpectedVersion>(
        one_batch("s", [](kp::BatchAppendReq::Options& o) { o.mutable_no_stream(); }));
    EXPECT_TRUE(wrong.has_expected_no_stream());
    EXPECT_EQ(wrong.current_stream_revision_option_case(), kc::WrongExpectedVersion::kCurrentStreamRevision);
    EXPECT_EQ(wrong.current_stream_revision(), 1u);
}

TEST_F(KurrentBatchAppendTest, GivenNoStream_WhenBatchExpectsStreamExists_ThenWrongExpectedVersionDetail) {
    const auto wrong = detail_of<kc::WrongExpectedVersion>(
        one_batch("s", [](kp::BatchAppendReq::Options& o) { o.mutable_stream_exists(); }));
    EXPECT_TRUE(wrong.has_expected_stream_exists());
    EXPECT_TRUE(wrong.has_current_no_stream());
    expect_nothing_written();
}

TEST_F(KurrentBatchAppendTest, GivenAStream_WhenBatchExpectsItsPositionOrExistsOrAny_ThenSuccess) {
    append_n("s", 1);
    EXPECT_EQ(one_batch("s", [](kp::BatchAppendReq::Options& o) { o.set_stream_position(0); })
                  .success().current_revision(), 1u);
    EXPECT_EQ(one_batch("s", [](kp::BatchAppendReq::Options& o) { o.mutable_stream_exists(); })
                  .success().current_revision(), 2u);
    EXPECT_EQ(one_batch("s", [](kp::BatchAppendReq::Options& o) { o.mutable_any(); })
                  .success().current_revision(), 3u);
}

TEST_F(KurrentBatchAppendTest, GivenATombstonedStream_WhenBatch_ThenStreamDeletedDetail) {
    append_n("s", 1);
    v1::TombstoneStreamRequest tombstone;
    tombstone.set_stream_id("s");
    v1::StreamState state;
    ASSERT_TRUE(stub_->TombstoneStream(context_with_deadline().get(), tombstone, &state).ok());
    const auto response = one_batch("s", [](kp::BatchAppendReq::Options&) {});
    EXPECT_EQ(response.error().code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(detail_of<kc::StreamDeleted>(response).stream_identifier().stream_name(), "s");
}

TEST_F(KurrentBatchAppendTest, GivenBadInput_WhenBatch_ThenBadRequestDetailsAndNothingWritten) {
    std::vector<kp::BatchAppendReq> requests;
    kp::BatchAppendReq no_options;  // a correlation that starts without options
    no_options.mutable_correlation_id()->set_string(kC1);
    *no_options.add_proposed_messages() = batch_message();
    no_options.set_is_final(true);
    requests.push_back(no_options);
    // A final group of one event to "s", spoiled by `spoil`.
    const auto spoiled = [&](const std::string& correlation, auto&& spoil) {
        auto request = batch_options(correlation, "s");
        *request.add_proposed_messages() = batch_message();
        request.set_is_final(true);
        spoil(request);
        requests.push_back(request);
    };
    spoiled("22222222-2222-4222-8222-000000000001",
            [](kp::BatchAppendReq& r) { r.mutable_proposed_messages(0)->mutable_metadata()->erase("type"); });
    spoiled("22222222-2222-4222-8222-000000000002",
            [](kp::BatchAppendReq& r) { r.mutable_proposed_messages(0)->mutable_id()->set_string("nope"); });
    spoiled("22222222-2222-4222-8222-000000000003",
            [](kp::BatchAppendReq& r) { r.mutable_options()->clear_any(); });
    spoiled("not a uuid", [](kp::BatchAppendReq&) {});
    spoiled("22222222-2222-4222-8222-000000000004",
            [](kp::BatchAppendReq& r) { r.mutable_options()->clear_stream_identifier(); });
    spoiled("22222222-2222-4222-8222-000000000005",
            [](kp::BatchAppendReq& r) { r.clear_proposed_messages(); });

    const auto responses = batch(requests);
    ASSERT_EQ(responses.size(), requests.size());
    for (const auto& response : responses) {
        EXPECT_EQ(response.error().code(), grpc::StatusCode::INVALID_ARGUMENT) << response.DebugString();
        EXPECT_EQ(response.error().message(), "BadRequest");
        EXPECT_FALSE(detail_of<kc::BadRequest>(response).message().empty());
        EXPECT_TRUE(response.has_stream_identifier());
    }
    expect_nothing_written();
}

TEST_F(KurrentBatchAppendTest, GivenABatchPastMaxAppendBytes_WhenItGrows_ThenOneMaximumAppendSizeExceeded) {
    auto first = batch_options(kC1, "s");
    *first.add_proposed_messages() = batch_message("T", std::string(1500, 'x'));
    kp::BatchAppendReq second;
    second.mutable_correlation_id()->set_string(kC1);
    *second.add_proposed_messages() = batch_message("T", std::string(1500, 'x'));
    kp::BatchAppendReq last = second;
    last.mutable_proposed_messages(0)->mutable_id()->set_string(kC2);
    last.set_is_final(true);
    const auto responses = batch({first, second, last});
    ASSERT_EQ(responses.size(), 1u);
    EXPECT_EQ(responses[0].error().code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(detail_of<kc::MaximumAppendSizeExceeded>(responses[0]).maxappendsize(), 2000u);
    expect_nothing_written();
}

TEST_F(KurrentBatchAppendTest, GivenADeadlinePassed_WhenBatch_ThenTimeoutDetail) {
    const auto response = one_batch("s", [](kp::BatchAppendReq::Options& o) {
        o.mutable_deadline()->set_seconds(0);
    });
    EXPECT_EQ(response.error().code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    detail_of<kc::Timeout>(response);
    expect_nothing_written();
}

TEST_F(KurrentBatchAppendTest, GivenABatchNeverFinal_WhenTheClientHalfCloses_ThenCallEndsAndNothingWritten) {
    auto open = batch_options(kC1, "s");
    *open.add_proposed_messages() = batch_message();
    EXPECT_TRUE(batch({open}).empty());
    expect_nothing_written();
}

TEST_F(KurrentBatchAppendTest, GivenManyCorrelationsOnOneCall_WhenAllFinal_ThenEachAnsweredOnceAndWritten) {
    // Completions come from the store's threads while the call still reads and writes.
    constexpr int kGroups = 64;
    std::vector<kp::BatchAppendReq> requests;
    for (int i = 0; i < kGroups; ++i) {
        auto request = batch_options(make_event().metadata().event_id(), "many-" + std::to_string(i % 8));
        *request.add_proposed_messages() = batch_message();
        request.set_is_final(true);
        requests.push_back(request);
    }
    const auto responses = batch(requests);
    ASSERT_EQ(responses.size(), static_cast<size_t>(kGroups));
    std::set<std::string> correlations;
    for (const auto& response : responses) {
        EXPECT_TRUE(response.has_success()) << response.error().message();
        correlations.insert(response.correlation_id().string());
    }
    EXPECT_EQ(correlations.size(), static_cast<size_t>(kGroups));
    v1::ReadAllResponse all;
    ASSERT_TRUE(read_all(0, 1000, "many-", &all).ok());
    EXPECT_EQ(all.events_size(), kGroups);
}

// --- Delete and Tombstone ---

class KurrentDeleteTest : public KurrentAppendTest {
protected:
    template <class Request>
    static Request change_request(const std::string& stream) {
        Request request;
        request.mutable_options()->mutable_stream_identifier()->set_stream_name(stream);
        request.mutable_options()->mutable_any();
        return request;
    }
    grpc::Status remove(const kp::DeleteReq& request) {
        kp::DeleteResp response;
        return change(&kp::Streams::Stub::Delete, request, response);
    }
    grpc::Status tombstone(const kp::TombstoneReq& request) {
        kp::TombstoneResp response;
        return change(&kp::Streams::Stub::Tombstone, request, response);
    }
    // A Delete or Tombstone call; the context stays for its trailers.
    template <class Request, class Response>
    grpc::Status change(grpc::Status (kp::Streams::Stub::*method)(grpc::ClientContext*, const Request&,
                                                                 Response*),
                        const Request& request, Response& response) {
        context_ = context_with_deadline();
        const auto status = (kstub_.get()->*method)(context_.get(), request, &response);
        EXPECT_TRUE(!status.ok() || response.has_no_position());
        return status;
    }
    v1::StreamState state_of(const std::string& stream) {
        v1::GetStreamStateRequest request;
        request.set_stream_id(stream);
        v1::StreamState state;
        EXPECT_TRUE(stub_->GetStreamState(context_with_deadline().get(), request, &state).ok());
        return state;
    }
};

TEST_F(KurrentDeleteTest, GivenAStream_WhenDeleteExpectingItsRevision_ThenDeletedAsV1DeleteStream) {
    append_n("s", 2);
    auto request = change_request<kp::DeleteReq>("s");
    request.mutable_options()->set_revision(1);
    ASSERT_TRUE(remove(request).ok());
    EXPECT_TRUE(state_of("s").deleted());
    EXPECT_TRUE(whole_stream("s").empty());
}

TEST_F(KurrentDeleteTest, GivenAStreamAtRevision1_WhenDeleteExpects5_ThenWrongExpectedVersionTrailers) {
    append_n("s", 2);
    auto request = change_request<kp::DeleteReq>("s");
    request.mutable_options()->set_revision(5);
    const auto status = remove(request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(trailer(*context_, "exception"), "wrong-expected-version");
    EXPECT_EQ(trailer(*context_, "stream-name"), "s");
    EXPECT_EQ(trailer(*context_, "expected-version"), "5");
    EXPECT_EQ(trailer(*context_, "actual-version"), "1");
    EXPECT_FALSE(state_of("s").deleted());
}

TEST_F(KurrentDeleteTest, GivenNoStream_WhenDeleteExpectsStreamExists_ThenWrongExpectedVersionWithMinusOne) {
    auto request = change_request<kp::DeleteReq>("s");
    request.mutable_options()->mutable_stream_exists();
    EXPECT_EQ(remove(request).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(trailer(*context_, "expected-version"), "-4");
    EXPECT_EQ(trailer(*context_, "actual-version"), "-1");
}

TEST_F(KurrentDeleteTest, GivenATombstonedStream_WhenTombstoneOrDeleteAgain_ThenStreamDeletedTrailer) {
    append_n("s", 1);
    ASSERT_TRUE(tombstone(change_request<kp::TombstoneReq>("s")).ok());
    EXPECT_TRUE(state_of("s").tombstoned());
    EXPECT_EQ(tombstone(change_request<kp::TombstoneReq>("s")).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(trailer(*context_, "exception"), "stream-deleted");
    EXPECT_EQ(remove(change_request<kp::DeleteReq>("s")).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(trailer(*context_, "exception"), "stream-deleted");
}

TEST_F(KurrentDeleteTest, GivenNoOptionsOrNoExpectedCase_WhenDelete_ThenInvalidArgument) {
    append_n("s", 1);
    EXPECT_EQ(remove(kp::DeleteReq()).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    auto request = change_request<kp::DeleteReq>("s");
    request.mutable_options()->clear_any();
    EXPECT_EQ(remove(request).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_FALSE(state_of("s").deleted());
}

// --- Authorization: the tokens of eventstore.v1 ---

const std::string kReadOnly = "read-only-token";
const std::string kWriter = "writer-token";

class KurrentAuthTest : public KurrentDeleteTest {
protected:
    void SetUp() override {
        const auto entry = [](const std::string& name, const std::string& token,
                              const std::string& permissions) {
            return "    - name: " + name + "\n      sha256: " + server::sha256_hex(token) +
                   "\n      permissions: " + permissions + "\n      stream_prefixes: [\"\"]\n";
        };
        start("auth:\n  enabled: true\n  tokens:\n" + entry("reader", kReadOnly, "[read]") +
              entry("writer", kWriter, "[read, write]"));
        kstub_ = kp::Streams::NewStub(channel_);
    }
    static std::unique_ptr<grpc::ClientContext> as(const std::string& token) {
        auto context = context_with_deadline();
        context->AddMetadata("authorization", "Bearer " + token);
        return context;
    }
};

TEST_F(KurrentAuthTest, GivenAReadOnlyToken_WhenAppend_ThenAccessDeniedAndNothingWritten) {
    context_ = as(kReadOnly);
    kp::AppendResp response;
    auto writer = kstub_->Append(context_.get(), &response);
    writer->Write(options("s"));
    writer->Write(message_of(proposed()));
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(trailer(*context_, "exception"), "access-denied");
}

TEST_F(KurrentAuthTest, GivenAReadOnlyToken_WhenBatch_ThenAccessDeniedDetail) {
    auto context = as(kReadOnly);
    auto stream = kstub_->BatchAppend(context.get());
    auto request = batch_options(kC1, "s");
    *request.add_proposed_messages() = batch_message();
    request.set_is_final(true);
    stream->Write(request);
    stream->WritesDone();
    kp::BatchAppendResp response;
    ASSERT_TRUE(stream->Read(&response));
    EXPECT_EQ(response.error().code(), grpc::StatusCode::PERMISSION_DENIED);
    detail_of<kc::AccessDenied>(response);
    EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(KurrentAuthTest, GivenATokenWithoutDelete_WhenDeleteOrTombstone_ThenAccessDenied) {
    auto context = as(kWriter);
    kp::DeleteResp response;
    EXPECT_EQ(kstub_->Delete(context.get(), change_request<kp::DeleteReq>("s"), &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(trailer(*context, "exception"), "access-denied");
    auto again = as(kWriter);
    kp::TombstoneResp tombstoned;
    EXPECT_EQ(kstub_->Tombstone(again.get(), change_request<kp::TombstoneReq>("s"), &tombstoned).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace eventstore::test
