// Authentication, authorization and tenants through a real gRPC channel: every rule of
// docs/security.md, each shown to refuse (and to write nothing) or to filter what is returned.
#include <gtest/gtest.h>

#include "security/crypto.hpp"
#include "subscriber.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

// One token per rule: tokens are named by what they may do.
const std::string kAdmin = "admin-token";            // read, write; every stream; no tenant
const std::string kWriter = "acme-writer-token";     // read, write; orders-; tenant acme
const std::string kReader = "acme-reader-token";     // read; orders-; tenant acme
const std::string kGlobex = "globex-writer-token";   // read, write; orders-; tenant globex
const std::string kWriteOnly = "write-only-token";   // write; orders-; tenant acme

std::string token_entry(const std::string& name, const std::string& token,
                        const std::string& permissions, const std::string& prefixes,
                        const std::string& tenant) {
    return "    - name: " + name + "\n      sha256: " + server::sha256_hex(token) +
           "\n      permissions: " + permissions + "\n      stream_prefixes: " + prefixes +
           (tenant.empty() ? "" : "\n      tenant: " + tenant) + "\n";
}

std::string auth_section() {
    return "auth:\n  enabled: true\n  tokens:\n" +
           token_entry("admin", kAdmin, "[read, write, delete]", "[\"\"]", "") +
           token_entry("acme-writer", kWriter, "[read, write, delete]", "[orders-]", "acme") +
           token_entry("acme-reader", kReader, "[read]", "[orders-]", "acme") +
           token_entry("globex-writer", kGlobex, "[read, write]", "[orders-]", "globex") +
           token_entry("write-only", kWriteOnly, "[write]", "[orders-]", "acme");
}

class AuthTest : public ServerTest {
protected:
    void SetUp() override { start(auth_section()); }

    static std::unique_ptr<grpc::ClientContext> as(const std::string& token) {
        auto context = context_with_deadline();
        if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
        return context;
    }

    grpc::Status append_as(const std::string& token, const std::string& stream,
                           std::vector<v1::EventData> events = {make_event()}) {
        v1::AppendRequest request;
        request.set_stream_id(stream);
        for (auto& event : events) *request.add_events() = std::move(event);
        v1::AppendResponse response;
        return stub_->Append(as(token).get(), request, &response);
    }

    grpc::Status read_stream_as(const std::string& token, const std::string& stream,
                                v1::ReadStreamResponse* response) {
        v1::ReadStreamRequest request;
        request.set_stream_id(stream);
        request.set_forward(true);
        return stub_->ReadStream(as(token).get(), request, response);
    }

    grpc::Status read_all_as(const std::string& token, const std::string& prefix,
                             v1::ReadAllResponse* response) {
        v1::ReadAllRequest request;
        request.set_stream_prefix(prefix);
        return stub_->ReadAll(as(token).get(), request, response);
    }

    // Every event in the store, read with the admin token.
    std::vector<v1::RecordedEvent> everything() {
        v1::ReadAllResponse response;
        EXPECT_TRUE(read_all_as(kAdmin, "", &response).ok());
        return {response.events().begin(), response.events().end()};
    }

    static std::vector<std::string> streams_of(const google::protobuf::RepeatedPtrField<v1::RecordedEvent>& events) {
        std::vector<std::string> streams;
        for (const auto& event : events) streams.push_back(event.stream_id());
        return streams;
    }

    // orders-1 (acme, by the writer), orders-2 (globex), invoices-1 (admin, no tenant).
    void append_mixed_tenants() {
        ASSERT_TRUE(append_as(kWriter, "orders-1").ok());
        ASSERT_TRUE(append_as(kGlobex, "orders-2").ok());
        ASSERT_TRUE(append_as(kAdmin, "invoices-1").ok());
        ASSERT_TRUE(append_as(kWriter, "orders-1").ok());
    }
};

v1::EventData event_of_tenant(const std::string& tenant) {
    v1::EventData event = make_event();
    event.mutable_metadata()->set_tenant_id(tenant);
    return event;
}

TEST_F(AuthTest, GivenNoToken_WhenCallingAnyRpc_ThenUnauthenticatedAndNothingWritten) {
    EXPECT_EQ(append_as("", "orders-1").error_code(), grpc::StatusCode::UNAUTHENTICATED);
    v1::ReadStreamResponse stream;
    EXPECT_EQ(read_stream_as("", "orders-1", &stream).error_code(), grpc::StatusCode::UNAUTHENTICATED);
    v1::ReadAllResponse all;
    const grpc::Status status = read_all_as("", "", &all);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_NE(status.error_message().find("authorization: Bearer"), std::string::npos)
        << status.error_message();
    Subscriber subscriber(*stub_, 0);
    EXPECT_EQ(subscriber.finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_TRUE(everything().empty());
}

TEST_F(AuthTest, GivenAnUnknownOrMalformedToken_WhenAppending_ThenUnauthenticatedAndNothingWritten) {
    EXPECT_EQ(append_as("not-a-configured-token", "orders-1").error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    v1::AppendRequest request;
    request.set_stream_id("orders-1");
    *request.add_events() = make_event();
    v1::AppendResponse response;
    auto basic = context_with_deadline();
    basic->AddMetadata("authorization", "Basic " + kAdmin);
    EXPECT_EQ(stub_->Append(basic.get(), request, &response).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    auto bare = context_with_deadline();
    bare->AddMetadata("authorization", kAdmin);
    EXPECT_EQ(stub_->Append(bare.get(), request, &response).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_TRUE(everything().empty());
}

TEST_F(AuthTest, GivenTheBearerSchemeInAnyCase_WhenAppending_ThenAccepted) {
    v1::AppendRequest request;
    request.set_stream_id("orders-1");
    *request.add_events() = make_event();
    v1::AppendResponse response;
    auto context = context_with_deadline();
    context->AddMetadata("authorization", "bearer " + kWriter);
    EXPECT_TRUE(stub_->Append(context.get(), request, &response).ok());
}

// `user:password` in base64, as HTTP Basic credentials carry it.
std::string basic(const std::string& user, const std::string& password) {
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string in = user + ":" + password;
    std::string out;
    for (size_t i = 0; i < in.size(); i += 3) {
        const size_t n = std::min<size_t>(3, in.size() - i);
        uint32_t chunk = 0;
        for (size_t j = 0; j < 3; ++j) {
            chunk = chunk << 8 | (j < n ? static_cast<unsigned char>(in[i + j]) : 0u);
        }
        for (size_t j = 0; j < 4; ++j) {
            out += j <= n ? kAlphabet[(chunk >> (18 - 6 * j)) & 63] : '=';
        }
    }
    return "Basic " + out;
}

// One event appended to `stream` with `authorization` as the call's credentials.
grpc::Status append_with(v1::EventStore::Stub& stub, const std::string& authorization,
                         const std::string& stream) {
    v1::AppendRequest request;
    request.set_stream_id(stream);
    *request.add_events() = make_event();
    v1::AppendResponse response;
    auto context = context_with_deadline();
    context->AddMetadata("authorization", authorization);
    return stub.Append(context.get(), request, &response);
}

TEST_F(AuthTest, GivenBasicCredentialsOfATokensNameAndTheToken_WhenCalling_ThenTheTokensRightsApply) {
    const grpc::Status admin = append_with(*stub_, basic("admin", kAdmin), "orders-1");
    EXPECT_TRUE(admin.ok()) << admin.error_message();
    const grpc::Status writer =
        append_with(*stub_, "basic " + basic("acme-writer", kWriter).substr(6), "orders-2");
    EXPECT_TRUE(writer.ok()) << writer.error_message();
    const grpc::Status reader = append_with(*stub_, basic("acme-reader", kReader), "orders-3");
    EXPECT_EQ(reader.error_code(), grpc::StatusCode::PERMISSION_DENIED) << reader.error_message();
    EXPECT_EQ(everything().size(), 2u);
}

TEST_F(AuthTest, GivenBasicCredentialsThatNameNoTokenOrAnotherOne_WhenAppending_ThenUnauthenticatedAndNothingWritten) {
    for (const std::string& authorization :
         {basic("admin", "not-a-configured-token"), basic("acme-reader", kAdmin),
          basic("", kAdmin), basic("admin", "")}) {
        EXPECT_EQ(append_with(*stub_, authorization, "orders-1").error_code(),
                  grpc::StatusCode::UNAUTHENTICATED)
            << authorization;
    }
    for (const std::string& malformed : {std::string("Basic %%%%"), std::string("Basic YWRtaW4=")}) {
        const grpc::Status status = append_with(*stub_, malformed, "orders-1");
        EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << malformed;
        EXPECT_NE(status.error_message().find("Basic credentials"), std::string::npos)
            << status.error_message();
    }
    EXPECT_TRUE(everything().empty());
}

TEST_F(AuthTest, GivenAReadOnlyToken_WhenAppending_ThenPermissionDeniedAndNothingWritten) {
    const grpc::Status status = append_as(kReader, "orders-1");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(status.error_message(), "token 'acme-reader' may not write");
    EXPECT_TRUE(everything().empty());
}

TEST_F(AuthTest, GivenATokenWithoutDelete_WhenDeletingTruncatingOrSettingRetention_ThenPermissionDeniedAndNothingRemoved) {
    ASSERT_TRUE(append_as(kGlobex, "orders-2").ok());
    v1::StreamState state;
    v1::DeleteStreamRequest remove;
    remove.set_stream_id("orders-2");
    const grpc::Status deleted = stub_->DeleteStream(as(kGlobex).get(), remove, &state);
    EXPECT_EQ(deleted.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_NE(deleted.error_message().find("may not delete"), std::string::npos) << deleted.error_message();
    v1::TombstoneStreamRequest tombstone;
    tombstone.set_stream_id("orders-2");
    EXPECT_EQ(stub_->TombstoneStream(as(kGlobex).get(), tombstone, &state).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::TruncateStreamRequest truncate;
    truncate.set_stream_id("orders-2");
    truncate.set_before_version(2);
    EXPECT_EQ(stub_->TruncateStream(as(kGlobex).get(), truncate, &state).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::SetStreamRetentionRequest retention;
    retention.set_stream_id("orders-2");
    retention.mutable_retention()->set_max_count(1);
    EXPECT_EQ(stub_->SetStreamRetention(as(kGlobex).get(), retention, &state).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(everything().size(), 1u);
}

TEST_F(AuthTest, GivenADeleteTokenWithATenant_WhenDeletingAnotherTenantsStream_ThenPermissionDeniedAndItStays) {
    append_mixed_tenants();
    v1::StreamState state;
    v1::DeleteStreamRequest remove;
    remove.set_stream_id("orders-2");
    EXPECT_EQ(stub_->DeleteStream(as(kWriter).get(), remove, &state).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    remove.set_stream_id("orders-1");
    ASSERT_TRUE(stub_->DeleteStream(as(kWriter).get(), remove, &state).ok());
    std::vector<std::string> streams;
    for (const auto& event : everything()) streams.push_back(event.stream_id());
    EXPECT_EQ(streams, (std::vector<std::string>{"orders-2", "invoices-1"}));
}

TEST_F(AuthTest, GivenAWriteOnlyToken_WhenReading_ThenPermissionDenied) {
    ASSERT_TRUE(append_as(kWriteOnly, "orders-1").ok());
    v1::ReadStreamResponse stream;
    EXPECT_EQ(read_stream_as(kWriteOnly, "orders-1", &stream).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::ReadAllResponse all;
    EXPECT_EQ(read_all_as(kWriteOnly, "", &all).error_code(), grpc::StatusCode::PERMISSION_DENIED);
    Subscriber subscriber(*stub_, 0, "", {{"authorization", "Bearer " + kWriteOnly}});
    EXPECT_EQ(subscriber.finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthTest, GivenAStreamOutsideTheTokensPrefixes_WhenAppending_ThenPermissionDeniedAndNothingWritten) {
    const grpc::Status status = append_as(kWriter, "invoices-1");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(status.error_message(),
              "token 'acme-writer' may not use stream 'invoices-1' (outside its stream_prefixes)");
    EXPECT_TRUE(everything().empty());
}

TEST_F(AuthTest, GivenATokenWithATenant_WhenAppendingWithoutOne_ThenEveryEventCarriesTheTokensTenant) {
    ASSERT_TRUE(append_as(kWriter, "orders-1", {make_event(), event_of_tenant("acme")}).ok());
    const auto events = everything();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].metadata().tenant_id(), "acme");
    EXPECT_EQ(events[1].metadata().tenant_id(), "acme");
}

TEST_F(AuthTest, GivenATokenWithATenant_WhenAnEventNamesAnotherTenant_ThenPermissionDeniedAndNothingWritten) {
    const grpc::Status status =
        append_as(kWriter, "orders-1", {make_event(), event_of_tenant("globex")});
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(status.error_message(),
              "token 'acme-writer' belongs to tenant 'acme' but events[1] names tenant 'globex'");
    EXPECT_TRUE(everything().empty());
}

TEST_F(AuthTest, GivenATokenWithoutATenant_WhenAppending_ThenTheEventsKeepTheirOwnTenant) {
    ASSERT_TRUE(append_as(kAdmin, "invoices-1", {event_of_tenant("initech"), make_event()}).ok());
    const auto events = everything();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].metadata().tenant_id(), "initech");
    EXPECT_EQ(events[1].metadata().tenant_id(), "");
}

TEST_F(AuthTest, GivenAReadOnlyToken_WhenReadingAStreamUnderItsPrefix_ThenOnlyItsTenantsEvents) {
    ASSERT_TRUE(append_as(kWriter, "orders-1").ok());
    // An operator (no tenant) may put another tenant's event into acme's stream.
    ASSERT_TRUE(append_as(kAdmin, "orders-1", {event_of_tenant("globex")}).ok());
    ASSERT_TRUE(append_as(kWriter, "orders-1").ok());
    v1::ReadStreamResponse response;
    ASSERT_TRUE(read_stream_as(kReader, "orders-1", &response).ok());
    ASSERT_EQ(response.events_size(), 2);
    EXPECT_EQ(response.events(0).stream_version(), 1u);
    EXPECT_EQ(response.events(1).stream_version(), 3u);
    EXPECT_TRUE(response.end_of_stream());
}

TEST_F(AuthTest, GivenAReadOnlyToken_WhenReadingAStreamOutsideItsPrefixes_ThenPermissionDenied) {
    ASSERT_TRUE(append_as(kAdmin, "invoices-1").ok());
    v1::ReadStreamResponse response;
    EXPECT_EQ(read_stream_as(kReader, "invoices-1", &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(response.events_size(), 0);
}

TEST_F(AuthTest, GivenAReadOnlyToken_WhenReadingAll_ThenOnlyItsPrefixesAndTenant) {
    append_mixed_tenants();
    v1::ReadAllResponse response;
    ASSERT_TRUE(read_all_as(kReader, "", &response).ok());
    EXPECT_EQ(streams_of(response.events()), (std::vector<std::string>{"orders-1", "orders-1"}));
    EXPECT_EQ(response.last_scanned_position(), 4u);
    EXPECT_TRUE(response.reached_head());
    v1::ReadAllResponse narrower;
    ASSERT_TRUE(read_all_as(kReader, "orders-1", &narrower).ok());
    EXPECT_EQ(narrower.events_size(), 2);
}

TEST_F(AuthTest, GivenAReadOnlyToken_WhenReadingAllOutsideItsPrefixes_ThenPermissionDenied) {
    append_mixed_tenants();
    v1::ReadAllResponse response;
    EXPECT_EQ(read_all_as(kReader, "invoices-", &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    Subscriber subscriber(*stub_, 0, "invoices-", {{"authorization", "Bearer " + kReader}});
    EXPECT_EQ(subscriber.finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthTest, GivenAReadOnlyToken_WhenSubscribing_ThenCatchUpAndLiveCarryOnlyWhatItMaySee) {
    append_mixed_tenants();
    Subscriber subscriber(*stub_, 0, "", {{"authorization", "Bearer " + kReader}});
    const auto history = subscriber.events(2);
    EXPECT_EQ(history[0].global_position(), 1u);
    EXPECT_EQ(history[1].global_position(), 4u);
    ASSERT_TRUE(append_as(kGlobex, "orders-2").ok());    // 5: another tenant
    ASSERT_TRUE(append_as(kAdmin, "invoices-1").ok());   // 6: outside the prefixes
    ASSERT_TRUE(append_as(kWriter, "orders-3").ok());    // 7: visible
    const auto live = subscriber.events(1);
    EXPECT_EQ(live[0].global_position(), 7u);
    EXPECT_EQ(live[0].stream_id(), "orders-3");
    EXPECT_EQ(live[0].metadata().tenant_id(), "acme");
}

}  // namespace
}  // namespace eventstore::test
