// The tls, auth, connections and metrics sections of the config: defaults, and every refusal
// with a message that names the key and says what to do.
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "process_support.hpp"
#include "security/crypto.hpp"

namespace eventstore::server {
namespace {

const std::string kHash = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

std::string error_of(const std::string& yaml, const std::filesystem::path& base = "/base") {
    auto config = parse_config(yaml, base, "test.yaml");
    EXPECT_FALSE(config.ok()) << yaml;
    return config.ok() ? "" : config.status().message();
}

std::string token(const std::string& fields) {
    return "auth:\n  enabled: true\n  tokens:\n    - " + fields + "\n";
}

TEST(CryptoTest, GivenAToken_WhenHashed_ThenItsSha256InLowerCaseHex) {
    EXPECT_EQ(sha256_hex("secret"), kHash);
    EXPECT_EQ(random_token().size(), 64u);
    EXPECT_NE(random_token(), random_token());
}

TEST(SecurityConfigTest, GivenAnEmptyFile_WhenParsed_ThenNoTlsNoAuthGrpcDefaultsAndNoMetrics) {
    auto config = parse_config("{}", "/base", "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    EXPECT_FALSE(config->tls.enabled());
    EXPECT_FALSE(config->auth.enabled);
    EXPECT_EQ(config->connections.keepalive_time.count(), 7200000);
    EXPECT_EQ(config->connections.keepalive_timeout.count(), 20000);
    EXPECT_EQ(config->connections.min_client_ping_interval.count(), 5000);
    EXPECT_EQ(config->connections.max_concurrent_streams, 0u);
    EXPECT_EQ(config->connections.max_subscriptions_per_connection, 1000u);
    EXPECT_EQ(config->metrics.listen, "");
}

TEST(SecurityConfigTest, GivenAnAddressBeyondLoopbackWithoutTls_WhenParsed_ThenRefusedSayingWhatToSet) {
    const std::string error = error_of("listen: 0.0.0.0:50051\n");
    EXPECT_NE(error.find("test.yaml:1: listen 0.0.0.0:50051 is reachable from other hosts and TLS "
                         "is not configured: set tls.cert_file and tls.key_file, or "
                         "tls.plaintext: true"),
              std::string::npos)
        << error;
    EXPECT_TRUE(parse_config("listen: 0.0.0.0:50051\ntls:\n  plaintext: true\n", "/", "t").ok());
}

TEST(SecurityConfigTest, GivenListenAddresses_WhenCheckingLoopback_ThenOnlyLocalOnesAre) {
    EXPECT_TRUE(is_loopback("127.0.0.1:1"));
    EXPECT_TRUE(is_loopback("127.1.2.3:1"));
    EXPECT_TRUE(is_loopback("localhost:1"));
    EXPECT_TRUE(is_loopback("[::1]:1"));
    EXPECT_FALSE(is_loopback("0.0.0.0:1"));
    EXPECT_FALSE(is_loopback("[::]:1"));
    EXPECT_FALSE(is_loopback("10.0.0.1:1"));
    EXPECT_FALSE(is_loopback("example.com:1"));
}

TEST(SecurityConfigTest, GivenIncompleteOrContradictoryTls_WhenParsed_ThenRefused) {
    EXPECT_NE(error_of("tls:\n  cert_file: a.crt\n").find("tls.cert_file and tls.key_file go together"),
              std::string::npos);
    EXPECT_NE(error_of("tls:\n  client_ca_file: ca.crt\n").find("tls.client_ca_file needs tls.cert_file"),
              std::string::npos);
    EXPECT_NE(error_of("tls:\n  cert_file: a.crt\n  key_file: a.key\n  plaintext: true\n")
                  .find("contradicts"),
              std::string::npos);
    EXPECT_NE(error_of("tls:\n  cert_file: a.crt\n  key_file: a.key\n")
                  .find("tls.cert_file: cannot read /base/a.crt"),
              std::string::npos);
    EXPECT_NE(error_of("tls:\n  plaintext: maybe\n").find("tls.plaintext must be true or false"),
              std::string::npos);
}

TEST(SecurityConfigTest, GivenAToken_WhenParsed_ThenItsPermissionsPrefixesAndTenant) {
    auto config = parse_config(token("name: app\n      sha256: " + kHash +
                                     "\n      permissions: [read]\n      stream_prefixes: [a-, b-]"
                                     "\n      tenant: acme"),
                               "/base", "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    ASSERT_EQ(config->auth.tokens.size(), 1u);
    const TokenConfig& parsed = config->auth.tokens[0];
    EXPECT_EQ(parsed.name, "app");
    EXPECT_TRUE(parsed.read);
    EXPECT_FALSE(parsed.write);
    EXPECT_EQ(parsed.stream_prefixes, (std::vector<std::string>{"a-", "b-"}));
    EXPECT_EQ(parsed.tenant, "acme");
}

TEST(SecurityConfigTest, GivenTheDeletePermission_WhenParsed_ThenOnlyDeleteIsGranted) {
    auto config = parse_config(token("name: janitor\n      sha256: " + kHash +
                                     "\n      permissions: [delete]\n      stream_prefixes: [\"\"]"),
                               "/base", "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    const TokenConfig& parsed = config->auth.tokens[0];
    EXPECT_TRUE(parsed.delete_streams);
    EXPECT_FALSE(parsed.read);
    EXPECT_FALSE(parsed.write);
}

TEST(SecurityConfigTest, GivenBadTokens_WhenParsed_ThenEachRefusalNamesTheField) {
    const std::string good = "\n      permissions: [read]\n      stream_prefixes: [\"\"]";
    EXPECT_NE(error_of(token("name: app\n      sha256: secret" + good))
                  .find("auth.tokens[0].sha256 must be 64 lower-case hex digits"),
              std::string::npos);
    EXPECT_NE(error_of(token("sha256: " + kHash + good)).find("auth.tokens[0].name is required"),
              std::string::npos);
    EXPECT_NE(error_of(token("name: app\n      sha256: " + kHash + "\n      stream_prefixes: [a]"))
                  .find("auth.tokens[0].permissions is required"),
              std::string::npos);
    EXPECT_NE(error_of(token("name: app\n      sha256: " + kHash +
                             "\n      permissions: [admin]\n      stream_prefixes: [a]"))
                  .find("auth.tokens[0].permissions items must be read, write or delete, got 'admin'"),
              std::string::npos);
    EXPECT_NE(error_of(token("name: app\n      sha256: " + kHash + "\n      permissions: [read]"))
                  .find("auth.tokens[0].stream_prefixes is required"),
              std::string::npos);
    EXPECT_NE(error_of(token("name: app\n      sha256: " + kHash +
                             "\n      permissions: [read]\n      stream_prefixes: []"))
                  .find("auth.tokens[0].stream_prefixes must not be empty"),
              std::string::npos);
    EXPECT_NE(error_of(token("name: app\n      sha256: " + kHash + good + "\n      rights: all"))
                  .find("unknown key 'auth.tokens[0].rights'"),
              std::string::npos);
    EXPECT_NE(error_of("auth:\n  enabled: true\n").find("no token is configured"), std::string::npos);
}

TEST(SecurityConfigTest, GivenTwoTokensWithOneName_WhenParsed_ThenRefused) {
    const std::string yaml = "auth:\n  tokens:\n    - name: app\n      sha256: " + kHash +
                             "\n      permissions: [read]\n      stream_prefixes: [a]\n"
                             "    - name: app\n      sha256: " + std::string(64, 'a') +
                             "\n      permissions: [read]\n      stream_prefixes: [a]\n";
    EXPECT_NE(error_of(yaml).find("two tokens are named 'app'"), std::string::npos);
}

TEST(SecurityConfigTest, GivenATokensFile_WhenParsed_ThenItsTokensAreAddedAndItsErrorsNameIt) {
    test::TempDir dir;
    dir.write("tokens.yaml", "tokens:\n  - name: from-file\n    sha256: " + kHash +
                                 "\n    permissions: [write]\n    stream_prefixes: [x-]\n");
    auto config = parse_config("auth:\n  enabled: true\n  tokens_file: tokens.yaml\n", dir.path(),
                               "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    ASSERT_EQ(config->auth.tokens.size(), 1u);
    EXPECT_EQ(config->auth.tokens[0].name, "from-file");
    EXPECT_TRUE(config->auth.tokens[0].write);

    dir.write("bad.yaml", "tokens:\n  - name: x\n    sha256: nope\n");
    const std::string error = error_of("auth:\n  tokens_file: bad.yaml\n", dir.path());
    EXPECT_NE(error.find((dir.path() / "bad.yaml").string() + ":3: tokens[0].sha256"),
              std::string::npos)
        << error;
    EXPECT_NE(error_of("auth:\n  tokens_file: missing.yaml\n").find("auth.tokens_file: cannot read /base/missing.yaml"),
              std::string::npos);
}

TEST(SecurityConfigTest, GivenConnectionsAndMetrics_WhenParsed_ThenTakenAndRangeChecked) {
    auto config = parse_config("connections:\n  keepalive_time_ms: 30000\n  keepalive_timeout_ms: 5000\n"
                               "  min_client_ping_interval_ms: 10000\n  max_concurrent_streams: 64\n"
                               "  max_subscriptions_per_connection: 8\n"
                               "metrics:\n  listen: 127.0.0.1:9464\n",
                               "/base", "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    EXPECT_EQ(config->connections.keepalive_time.count(), 30000);
    EXPECT_EQ(config->connections.keepalive_timeout.count(), 5000);
    EXPECT_EQ(config->connections.min_client_ping_interval.count(), 10000);
    EXPECT_EQ(config->connections.max_concurrent_streams, 64u);
    EXPECT_EQ(config->connections.max_subscriptions_per_connection, 8u);
    EXPECT_EQ(config->metrics.listen, "127.0.0.1:9464");
    EXPECT_NE(error_of("connections:\n  keepalive_time_ms: 10\n")
                  .find("connections.keepalive_time_ms must be between 1000 and"),
              std::string::npos);
    EXPECT_NE(error_of("metrics:\n  listen: 9464\n").find("metrics.listen must be HOST:PORT"),
              std::string::npos);
}

TEST(SecurityConfigTest, GivenTheShippedConfig_WhenParsed_ThenItsSecurityAndOperationsKeysAreTheDefaults) {
    auto shipped = load_config(EVENTSTORE_SOURCE_DIR "/config/eventstore.yaml");
    ASSERT_TRUE(shipped.ok()) << shipped.status().message();
    EXPECT_FALSE(shipped->tls.enabled());
    EXPECT_FALSE(shipped->tls.plaintext);
    EXPECT_FALSE(shipped->auth.enabled);
    EXPECT_TRUE(shipped->auth.tokens.empty());
    const ConnectionConfig defaults;
    EXPECT_EQ(shipped->connections.keepalive_time, defaults.keepalive_time);
    EXPECT_EQ(shipped->connections.keepalive_timeout, defaults.keepalive_timeout);
    EXPECT_EQ(shipped->connections.min_client_ping_interval, defaults.min_client_ping_interval);
    EXPECT_EQ(shipped->connections.max_concurrent_streams, defaults.max_concurrent_streams);
    EXPECT_EQ(shipped->connections.max_subscriptions_per_connection,
              defaults.max_subscriptions_per_connection);
    EXPECT_EQ(shipped->metrics.listen, "");
}

}  // namespace
}  // namespace eventstore::server
