// TLS and mutual TLS handshakes against an in-process server, with certificates made by openssl
// at test time: who gets served and who is refused.
#include <gtest/gtest.h>

#include "certificates.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

class TlsTest : public ServerTest {
protected:
    static void SetUpTestSuite() { certificates_ = new Certificates(); }
    static void TearDownTestSuite() {
        delete certificates_;
        certificates_ = nullptr;
    }
    void SetUp() override {}

    static const Certificates& certs() { return *certificates_; }

    void start_tls(bool mutual) {
        std::string tls = "tls:\n  cert_file: " + certs().server().cert.string() +
                          "\n  key_file: " + certs().server().key.string() + "\n";
        if (mutual) tls += "  client_ca_file: " + certs().ca().string() + "\n";
        start(tls);
    }

    // An append over a fresh channel with these credentials.
    grpc::Status append_over(const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
        auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()), credentials);
        auto stub = v1::EventStore::NewStub(channel);
        v1::AppendRequest request;
        request.set_stream_id("tls-1");
        *request.add_events() = make_event();
        v1::AppendResponse response;
        return stub->Append(context_with_deadline(5).get(), request, &response);
    }

    static std::shared_ptr<grpc::ChannelCredentials> trusting(const std::string& ca_pem,
                                                              const KeyPair* client = nullptr) {
        grpc::SslCredentialsOptions options;
        options.pem_root_certs = ca_pem;
        if (client != nullptr) {
            options.pem_cert_chain = client->cert_pem();
            options.pem_private_key = client->key_pem();
        }
        return grpc::SslCredentials(options);
    }

private:
    static Certificates* certificates_;
};

Certificates* TlsTest::certificates_ = nullptr;

TEST_F(TlsTest, GivenTls_WhenTheClientTrustsTheServersCa_ThenItIsServed) {
    start_tls(false);
    EXPECT_TRUE(append_over(trusting(certs().ca_pem())).ok());
}

TEST_F(TlsTest, GivenTls_WhenTheClientSpeaksPlaintext_ThenTheCallFails) {
    start_tls(false);
    EXPECT_EQ(append_over(grpc::InsecureChannelCredentials()).error_code(),
              grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, GivenTls_WhenTheClientTrustsAnotherCa_ThenTheHandshakeFails) {
    start_tls(false);
    EXPECT_EQ(append_over(trusting(certs().rogue_ca_pem())).error_code(),
              grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, GivenMutualTls_WhenTheClientPresentsACertificateOfTheClientCa_ThenItIsServed) {
    start_tls(true);
    EXPECT_TRUE(append_over(trusting(certs().ca_pem(), &certs().client())).ok());
}

TEST_F(TlsTest, GivenMutualTls_WhenTheClientPresentsNoCertificate_ThenTheHandshakeFails) {
    start_tls(true);
    EXPECT_EQ(append_over(trusting(certs().ca_pem())).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, GivenMutualTls_WhenTheClientCertificateIsSignedByAnotherCa_ThenTheHandshakeFails) {
    start_tls(true);
    EXPECT_EQ(append_over(trusting(certs().ca_pem(), &certs().rogue_client())).error_code(),
              grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, GivenAKeyThatIsNotTheCertificates_WhenParsingTheConfig_ThenRefusedNamingBothFiles) {
    const std::string yaml = "tls:\n  cert_file: " + certs().server().cert.string() +
                             "\n  key_file: " + certs().client().key.string() + "\n";
    auto config = server::parse_config(yaml, ".", "test.yaml");
    ASSERT_FALSE(config.ok());
    EXPECT_NE(config.status().message().find("the private key does not belong to the certificate"),
              std::string::npos)
        << config.status().message();
    EXPECT_NE(config.status().message().find(certs().client().key.string()), std::string::npos);
}

TEST_F(TlsTest, GivenRelativeCertificatePaths_WhenParsingTheConfig_ThenTakenFromTheConfigFolder) {
    const std::string yaml = "tls:\n  cert_file: server.crt\n  key_file: server.key\n"
                             "  client_ca_file: test-ca.crt\n";
    auto config = server::parse_config(yaml, certs().dir().path(), "test.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    EXPECT_EQ(config->tls.cert_file, certs().server().cert);
    EXPECT_TRUE(config->tls.mutual());
    EXPECT_EQ(config->tls.client_ca_pem, certs().ca_pem());
}

}  // namespace
}  // namespace eventstore::test
