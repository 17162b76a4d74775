// Requests that no well-behaved client sends, over a real connection to the eventstored binary:
// each gets the status docs/contract.md ("Bad input over the wire") documents, nothing is written,
// and the server serves on.
#include <functional>

#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include "raw_call.hpp"
#include "wire_fixture.hpp"

namespace eventstore::test {
namespace {

// The unknown fields of a message, to add some as a newer client would.
google::protobuf::UnknownFieldSet& unknown(google::protobuf::Message& message) {
    return *message.GetReflection()->MutableUnknownFields(&message);
}

const std::string kMarker = "@NOTUTF8@";  // replaced on the wire by bytes that are not UTF-8

struct Utf8Case {
    const char* name;
    const char* method;
    std::string request;  // serialized, holding kMarker where the bad bytes go
    const char* field;    // what the status message must name
};

// Names a case in test listings (ctest shows the parameter).
void PrintTo(const Utf8Case& c, std::ostream* out) { *out << c.name; }

std::string append_with(const std::function<void(v1::AppendRequest&)>& edit) {
    v1::AppendRequest request;
    request.set_stream_id("S");
    request.add_events()->mutable_metadata()->set_type_name("Happened");
    edit(request);
    return request.SerializeAsString();
}

std::vector<Utf8Case> utf8_cases() {
    v1::ReadStreamRequest read_stream;
    read_stream.set_stream_id(kMarker);
    v1::ReadAllRequest read_all;
    read_all.set_stream_prefix(kMarker);
    v1::SubscribeRequest subscribe;
    subscribe.set_stream_prefix(kMarker);
    const auto meta = [](v1::AppendRequest& r) { return r.mutable_events(0)->mutable_metadata(); };
    return {
        {"AppendStreamId", "Append", append_with([](auto& r) { r.set_stream_id(kMarker); }),
         "eventstore.v1.AppendRequest.stream_id"},
        {"AppendTypeName", "Append", append_with([&](auto& r) { meta(r)->set_type_name(kMarker); }),
         "eventstore.v1.EventMetadata.type_name"},
        {"AppendTenantId", "Append", append_with([&](auto& r) { meta(r)->set_tenant_id(kMarker); }),
         "eventstore.v1.EventMetadata.tenant_id"},
        {"AppendHeaderKey", "Append",
         append_with([&](auto& r) { (*meta(r)->mutable_headers())[kMarker] = "v"; }),
         "eventstore.v1.EventMetadata.HeadersEntry.key"},
        {"AppendHeaderValue", "Append",
         append_with([&](auto& r) { (*meta(r)->mutable_headers())["k"] = kMarker; }),
         "eventstore.v1.EventMetadata.HeadersEntry.value"},
        {"ReadStreamStreamId", "ReadStream", read_stream.SerializeAsString(),
         "eventstore.v1.ReadStreamRequest.stream_id"},
        {"ReadAllPrefix", "ReadAll", read_all.SerializeAsString(),
         "eventstore.v1.ReadAllRequest.stream_prefix"},
        {"SubscribePrefix", "Subscribe", subscribe.SerializeAsString(),
         "eventstore.v1.SubscribeRequest.stream_prefix"},
    };
}

class InvalidUtf8Test : public WireTest, public ::testing::WithParamInterface<Utf8Case> {};

TEST_P(InvalidUtf8Test, GivenInvalidUtf8InAStringField_WhenCalled_ThenInvalidArgumentNamingTheFieldAndNothingWritten) {
    const Utf8Case& c = GetParam();
    const grpc::Status status =
        raw_call(server_->channel(), std::string("/eventstore.v1.EventStore/") + c.method,
                 with_invalid_utf8(c.request, kMarker));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_NE(status.error_message().find(std::string(c.field) + " is not valid UTF-8"),
              std::string::npos)
        << status.error_message();
    EXPECT_EQ(stored_events(), 0u);
    expect_serving();
}

INSTANTIATE_TEST_SUITE_P(Wire, InvalidUtf8Test, ::testing::ValuesIn(utf8_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(WireTest, GivenBytesThatAreNotAProtobufMessage_WhenCalled_ThenInvalidArgumentSayingSo) {
    // Field 1, length-delimited, with a length varint that never ends.
    const std::string garbage = "\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff";
    for (const char* method : {"Append", "ReadStream", "ReadAll", "Subscribe"}) {
        const grpc::Status status =
            raw_call(server_->channel(), std::string("/eventstore.v1.EventStore/") + method, garbage);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << method;
        EXPECT_NE(status.error_message().find("is not a valid protobuf message"), std::string::npos)
            << method << ": " << status.error_message();
    }
    EXPECT_EQ(stored_events(), 0u);
    expect_serving();
}

TEST_F(WireTest, GivenARequestLargerThanTheReceiveSize_WhenAppending_ThenResourceExhaustedAndTheServerServesOn) {
    const grpc::Status status = append_one("S", kReceiveSize + 1);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
    EXPECT_EQ(stored_events(), 0u);
    expect_serving();
}

TEST_F(WireTest, GivenAnAppendUnderTheReceiveSizeButOverTheByteLimit_WhenAppending_ThenResourceExhaustedNamingTheLimit) {
    const grpc::Status status = append_one("S", kMaxAppendBytes + 1);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(status.error_message().find("limits.max_append_bytes"), std::string::npos)
        << status.error_message();
    expect_serving();
}

TEST_F(WireTest, GivenTheLargestMaxCountAndPositions_WhenReading_ThenOnePageOfAtMostTheCap) {
    constexpr uint32_t kPageCap = 1000;  // limits.max_page_size's default
    append("S", kPageCap + 50);

    v1::ReadAllRequest all;
    all.set_max_count(UINT32_MAX);
    v1::ReadAllResponse all_page;
    ASSERT_TRUE(stub_->ReadAll(context().get(), all, &all_page).ok());
    EXPECT_EQ(all_page.events_size(), static_cast<int>(kPageCap));
    EXPECT_FALSE(all_page.reached_head());

    for (const bool forward : {true, false}) {
        v1::ReadStreamRequest stream;
        stream.set_stream_id("S");
        stream.set_max_count(UINT32_MAX);
        stream.set_forward(forward);
        v1::ReadStreamResponse stream_page;
        ASSERT_TRUE(stub_->ReadStream(context().get(), stream, &stream_page).ok());
        EXPECT_EQ(stream_page.events_size(), static_cast<int>(kPageCap)) << forward;
    }

    all.set_after_global_position(UINT64_MAX);
    ASSERT_TRUE(stub_->ReadAll(context().get(), all, &all_page).ok());
    EXPECT_EQ(all_page.events_size(), 0);
    EXPECT_TRUE(all_page.reached_head());
    EXPECT_EQ(all_page.last_scanned_position(), UINT64_MAX);

    v1::ReadStreamRequest beyond;
    beyond.set_stream_id("S");
    beyond.set_from_version(UINT64_MAX);
    beyond.set_forward(true);
    v1::ReadStreamResponse beyond_page;
    ASSERT_TRUE(stub_->ReadStream(context().get(), beyond, &beyond_page).ok());
    EXPECT_EQ(beyond_page.events_size(), 0);
    EXPECT_TRUE(beyond_page.end_of_stream());

    auto subscribe_context = context();
    v1::SubscribeRequest subscribe;
    subscribe.set_after_global_position(UINT64_MAX);
    auto reader = stub_->Subscribe(subscribe_context.get(), subscribe);
    v1::SubscribeResponse message;
    ASSERT_TRUE(reader->Read(&message));
    EXPECT_TRUE(message.has_caught_up());
    EXPECT_EQ(message.caught_up().global_position(), UINT64_MAX);
    subscribe_context->TryCancel();
    expect_serving();
}

TEST_F(WireTest, GivenFieldsThisServerDoesNotKnow_WhenCalled_ThenTheyAreIgnored) {
    v1::AppendRequest request;
    request.set_stream_id("S");
    unknown(request).AddVarint(99, 1);
    auto* event = request.add_events();
    event->mutable_metadata()->set_type_name("Happened");
    unknown(*event->mutable_metadata()).AddLengthDelimited(42, "future");
    v1::AppendResponse response;
    const grpc::Status status = stub_->Append(context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.current_version(), 1u);

    v1::ReadAllRequest read;
    unknown(read).AddFixed64(77, 7);
    v1::ReadAllResponse page;
    ASSERT_TRUE(stub_->ReadAll(context().get(), read, &page).ok());
    ASSERT_EQ(page.events_size(), 1);
    const auto& metadata = page.events(0).metadata();
    EXPECT_TRUE(metadata.GetReflection()->GetUnknownFields(metadata).empty());
}

TEST_F(WireTest, GivenAnExpectedVersionKindThisServerDoesNotKnow_WhenAppending_ThenInvalidArgumentNamingItAndNothingWritten) {
    append("S", 3);
    v1::AppendRequest request;
    request.set_stream_id("S");
    // A oneof member added to ExpectedVersion after this build, as field 9.
    unknown(*request.mutable_expected_version()).AddVarint(9, 1);
    request.add_events()->mutable_metadata()->set_type_name("Happened");
    v1::AppendResponse response;
    const grpc::Status status = stub_->Append(context().get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(status.error_message().find("expected_version holds field 9, a kind this server "
                                          "does not know"),
              std::string::npos)
        << status.error_message();
    EXPECT_EQ(stored_events(), 3u);
    expect_serving();
}

}  // namespace
}  // namespace eventstore::test
