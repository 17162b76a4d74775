// Reloading the tokens with SIGHUP, through the real eventstored binary: an added token works, a
// removed one is refused on its next call and its live subscription ends UNAUTHENTICATED while
// the other tokens' calls and subscriptions go on, and a broken tokens file keeps the old tokens
// and names the key and line.
#include <csignal>

#include <gtest/gtest.h>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "process_support.hpp"
#include "security/crypto.hpp"
#include "subscriber.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

const std::string kAcme = "acme-token";
const std::string kGlobex = "globex-token";

std::string token_entry(const std::string& name, const std::string& token, const std::string& tenant,
                        const std::string& permissions = "[read, write]") {
    return "  - name: " + name + "\n    sha256: " + server::sha256_hex(token) +
           "\n    permissions: " + permissions + "\n    stream_prefixes: [orders-]\n    tenant: " +
           tenant + "\n";
}

class TokenReloadTest : public ::testing::Test {
protected:
    void SetUp() override {
        write_tokens("tokens:\n" + token_entry("acme", kAcme, "acme"));
        const uint16_t port = free_port();
        const auto config = dir_.write(
            "eventstore.yaml", "listen: 127.0.0.1:" + std::to_string(port) +
                                   "\nbackend:\n  plugin: " MEMORY_PLUGIN_PATH
                                   "\nauth:\n  enabled: true\n  tokens_file: tokens.yaml\n");
        process_ = std::make_unique<EventstoredProcess>(
            std::vector<std::string>{"--config", config.string()}, dir_);
        ASSERT_TRUE(process_->wait_for_log("listening on", 20s)) << process_->log();
        stub_ = v1::EventStore::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                                            grpc::InsecureChannelCredentials()));
    }

    void write_tokens(const std::string& text) { dir_.write("tokens.yaml", text); }

    // Sends SIGHUP and waits for the log line of its outcome.
    void reload(const std::string& outcome) {
        process_->signal(SIGHUP);
        ASSERT_TRUE(process_->wait_for_log(outcome, 20s)) << process_->log();
    }

    grpc::Status append_as(const std::string& token) {
        v1::AppendRequest request;
        request.set_stream_id("orders-" + token);  // each tenant its own stream
        *request.add_events() = make_event();
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + 10s);
        context.AddMetadata("authorization", "Bearer " + token);
        v1::AppendResponse response;
        return stub_->Append(&context, request, &response);
    }

    static std::map<std::string, std::string> bearer(const std::string& token) {
        return {{"authorization", "Bearer " + token}};
    }

    // Waits for caught_up: the subscription is live.
    static void wait_live(Subscriber& subscriber) {
        while (auto message = subscriber.next()) {
            if (message->has_caught_up()) return;
        }
        FAIL() << "no caught_up";
    }

    TempDir dir_;
    std::unique_ptr<EventstoredProcess> process_;
    std::unique_ptr<v1::EventStore::Stub> stub_;
};

TEST_F(TokenReloadTest, GivenATokenAddedToTheFile_WhenSighup_ThenItsCallsAreServed) {
    EXPECT_EQ(append_as(kGlobex).error_code(), grpc::StatusCode::UNAUTHENTICATED);
    write_tokens("tokens:\n" + token_entry("acme", kAcme, "acme") +
                 token_entry("globex", kGlobex, "globex"));
    reload("tokens reloaded from");
    EXPECT_NE(process_->log().find("2 tokens (1 added, 0 removed, 0 changed)"), std::string::npos)
        << process_->log();
    EXPECT_TRUE(append_as(kGlobex).ok());
    EXPECT_TRUE(append_as(kAcme).ok());
}

TEST_F(TokenReloadTest, GivenATokenRemoved_WhenSighup_ThenItsNextCallIsRefusedAndItsSubscriptionEnds) {
    write_tokens("tokens:\n" + token_entry("acme", kAcme, "acme") +
                 token_entry("globex", kGlobex, "globex"));
    reload("tokens reloaded from");
    Subscriber removed(*stub_, 0, "", bearer(kGlobex));
    Subscriber kept(*stub_, 0, "", bearer(kAcme));
    wait_live(removed);
    wait_live(kept);

    write_tokens("tokens:\n" + token_entry("acme", kAcme, "acme"));
    reload("1 tokens (0 added, 1 removed, 0 changed)");
    const grpc::Status ended = removed.finish();
    EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(ended.error_message(), "token 'globex' was removed by a reload of the tokens");
    EXPECT_EQ(append_as(kGlobex).error_code(), grpc::StatusCode::UNAUTHENTICATED);

    ASSERT_TRUE(append_as(kAcme).ok());
    const auto live = kept.events(1);
    EXPECT_EQ(live[0].metadata().tenant_id(), "acme");
}

TEST_F(TokenReloadTest, GivenATokensRightsChanged_WhenSighup_ThenItsSubscriptionEndsUnavailableAndTheNewRightsApply) {
    Subscriber changed(*stub_, 0, "", bearer(kAcme));
    wait_live(changed);
    write_tokens("tokens:\n" + token_entry("acme", kAcme, "acme", "[read]"));
    reload("1 tokens (0 added, 0 removed, 1 changed)");
    const grpc::Status ended = changed.finish();
    EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_NE(ended.error_message().find("token 'acme' was changed by a reload"), std::string::npos)
        << ended.error_message();
    EXPECT_EQ(append_as(kAcme).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(TokenReloadTest, GivenABrokenTokensFile_WhenSighup_ThenTheOldTokensStayAndTheLogNamesKeyAndLine) {
    write_tokens("tokens:\n" + token_entry("globex", kGlobex, "globex") +
                 "  - name: broken\n    sha256: not-a-hash\n    permissions: [read]\n"
                 "    stream_prefixes: [orders-]\n");
    reload("token reload refused, the 1 tokens in use stay: ");
    EXPECT_NE(process_->log().find("tokens.yaml:8: tokens[1].sha256 must be 64 lower-case hex "
                                   "digits"),
              std::string::npos)
        << process_->log();
    EXPECT_TRUE(append_as(kAcme).ok());
    EXPECT_EQ(append_as(kGlobex).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace eventstore::test
