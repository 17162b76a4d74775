// Reloading the tokens while calls run (Server::reload_tokens, what SIGHUP calls): writers of a
// kept token are never refused, writers of a token that comes and goes get only OK or
// UNAUTHENTICATED, and subscriptions opened meanwhile either run or end UNAUTHENTICATED. Part of
// the ThreadSanitizer run (scripts/sanitize.sh), which checks the swap of the token snapshot.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "security/crypto.hpp"
#include "subscriber.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

const std::string kKept = "kept-token";
const std::string kToggled = "toggled-token";

std::string token_entry(const std::string& name, const std::string& token) {
    return "  - {name: " + name + ", sha256: " + server::sha256_hex(token) +
           ", permissions: [read, write], stream_prefixes: [\"\"]}\n";
}

class TokenReloadConcurrencyTest : public ServerTest {
protected:
    void SetUp() override {
        std::filesystem::create_directories(dir_);
        write("tokens.yaml", "tokens:\n" + token_entry("kept", kKept));
        write("eventstore.yaml", "auth:\n  enabled: true\n  tokens_file: tokens.yaml\n");
        start("auth:\n  enabled: true\n  tokens_file: " + (dir_ / "tokens.yaml").string());
    }
    void TearDown() override {
        ServerTest::TearDown();
        std::filesystem::remove_all(dir_);
    }

    void write(const std::string& name, const std::string& text) const {
        std::ofstream(dir_ / name) << text;
    }

    const std::filesystem::path dir_ = std::filesystem::temp_directory_path() /
                                       ("eventstore-token-reload-" + std::to_string(getpid()));
};

grpc::Status append_as(v1::EventStore::Stub& stub, const std::string& token) {
    v1::AppendRequest request;
    request.set_stream_id("orders-" + token);
    *request.add_events() = make_event();
    auto context = context_with_deadline();
    context->AddMetadata("authorization", "Bearer " + token);
    v1::AppendResponse response;
    return stub.Append(context.get(), request, &response);
}

TEST_F(TokenReloadConcurrencyTest, GivenCallsInFlight_WhenTheTokensAreReloadedRepeatedly_ThenEachCallSeesOneWholeTokenList) {
    constexpr int kReloads = 40;
    std::atomic<bool> done{false};
    std::vector<std::thread> callers;
    for (const std::string& token : {kKept, kToggled}) {
        callers.emplace_back([&, token] {
            auto stub = v1::EventStore::NewStub(channel_);
            while (!done) {
                const grpc::Status status = append_as(*stub, token);
                if (token == kKept) {
                    EXPECT_TRUE(status.ok()) << status.error_message();
                } else {
                    EXPECT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::UNAUTHENTICATED)
                        << status.error_message();
                }
            }
        });
    }
    callers.emplace_back([&] {
        while (!done) {
            Subscriber subscriber(*stub_, 0, "", {{"authorization", "Bearer " + kToggled}});
            auto first = subscriber.next();
            if (!first) {
                const grpc::Status status = subscriber.finish();
                EXPECT_TRUE(status.error_code() == grpc::StatusCode::UNAUTHENTICATED)
                    << status.error_message();
            }
        }
    });
    for (int i = 0; i < kReloads; ++i) {
        write("tokens.yaml", "tokens:\n" + token_entry("kept", kKept) +
                                 (i % 2 == 0 ? token_entry("toggled", kToggled) : ""));
        ASSERT_TRUE(server_->reload_tokens(dir_ / "eventstore.yaml").ok());
    }
    done = true;
    for (auto& thread : callers) thread.join();
    EXPECT_EQ(append_as(*stub_, kToggled).error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_TRUE(append_as(*stub_, kKept).ok());
}

}  // namespace
}  // namespace eventstore::test
