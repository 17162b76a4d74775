// The Kurrent backend's connection string rules (plugins/kurrent/connection_string.h), called
// directly: what KurrentDB's clients accept passes, and each refusal says what is wrong.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

extern "C" {
#include "connection_string.h"
}

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Check {
    bool valid;
    std::string why;
};

Check check(const std::string& text) {
    kurrent_message why;
    kurrent_message_clear(&why);
    const es_bytes bytes{reinterpret_cast<const uint8_t*>(text.data()), text.size()};
    const bool valid = kurrent_connection_string_check(bytes, &why);
    return Check{valid, why.text};
}

class ValidConnectionString : public ::testing::TestWithParam<const char*> {};

TEST_P(ValidConnectionString, GivenAClientConnectionString_WhenChecked_ThenAccepted) {
    const Check result = check(GetParam());
    EXPECT_TRUE(result.valid) << result.why;
}

INSTANTIATE_TEST_SUITE_P(
    KurrentConnectionString, ValidConnectionString,
    ::testing::Values("kurrentdb://localhost:2113?tls=false",
                      "kurrentdb://localhost",
                      "kurrentdb://localhost:2113/",
                      "kurrentdb://localhost:2113/?tls=false&tlsVerifyCert=false",
                      "esdb://admin:changeit@localhost:2113?tls=true",
                      "KurrentDB://localhost:2113?TLS=False",
                      "kurrentdb+discover://cluster.example.com:2113",
                      "esdb+discover://admin:changeit@cluster.example.com",
                      "kurrentdb://node1:2111,node2:2112,node3:2113?nodePreference=follower",
                      "kurrentdb://10.0.0.5:2113,[::1]:2113,[fe80::1]",
                      "kurrentdb://user:p%40ss@host?connectionName=orders&keepAliveInterval=-1",
                      "kurrentdb://host?maxDiscoverAttempts=10&discoveryInterval=100&"
                      "gossipTimeout=5&keepAliveTimeout=10000&defaultDeadline=5000&"
                      "throwOnAppendFailure=true&tlsCaFile=/etc/ca.pem&userCertFile=/c.pem&"
                      "userKeyFile=/k.pem&nodePreference=readOnlyReplica"));

struct Refusal {
    const char* text;
    const char* why;
};

class InvalidConnectionString : public ::testing::TestWithParam<Refusal> {};

TEST_P(InvalidConnectionString, GivenAMalformedConnectionString_WhenChecked_ThenRefusedSayingWhy) {
    const Check result = check(GetParam().text);
    EXPECT_FALSE(result.valid);
    EXPECT_THAT(result.why, HasSubstr(GetParam().why));
}

INSTANTIATE_TEST_SUITE_P(
    KurrentConnectionString, InvalidConnectionString,
    ::testing::Values(
        Refusal{"", "it is empty"},
        Refusal{"localhost:2113", "does not start with a scheme and '://'"},
        Refusal{"http://localhost:2113", "the scheme 'http' is not one of kurrentdb, "
                                         "kurrentdb+discover, esdb, esdb+discover"},
        Refusal{"kurrentdb:/localhost", "does not start with a scheme and '://'"},
        Refusal{"kurrentdb://", "it names no host"},
        Refusal{"kurrentdb://?tls=false", "it names no host"},
        Refusal{"kurrentdb://a,,b", "the host list has an empty entry"},
        Refusal{"kurrentdb://localhost:0", "the port of host 'localhost:0' is not a number from 1"},
        Refusal{"kurrentdb://localhost:65536", "the port of host 'localhost:65536'"},
        Refusal{"kurrentdb://localhost:21x3", "the port of host 'localhost:21x3'"},
        Refusal{"kurrentdb://localhost:", "the port of host 'localhost:'"},
        Refusal{"kurrentdb://local$host", "the host 'local$host' is not a host name"},
        Refusal{"kurrentdb://[::1", "is not a valid bracketed IPv6 address"},
        Refusal{"kurrentdb://[::1]x", "has text after its IPv6 address"},
        Refusal{"kurrentdb://admin@localhost", "must be user:password, both non-empty"},
        Refusal{"kurrentdb://admin:@localhost", "must be user:password, both non-empty"},
        Refusal{"kurrentdb://localhost/db", "it has a path ('/db')"},
        Refusal{"kurrentdb://localhost?tls", "the query setting 'tls' is not key=value"},
        Refusal{"kurrentdb://localhost?tls=false&&a=b", "the query has an empty setting"},
        Refusal{"kurrentdb://localhost?tls=maybe", "the setting tls must be true or false"},
        Refusal{"kurrentdb://localhost?gossipTimeout=5s", "the setting gossipTimeout must be an "
                                                          "integer"},
        Refusal{"kurrentdb://localhost?nodePreference=any", "nodePreference must be leader"},
        Refusal{"kurrentdb://localhost?tlsCaFile=", "the setting tlsCaFile is empty"},
        Refusal{"kurrentdb://localhost?colour=blue", "the query setting 'colour' is not a "
                                                     "KurrentDB client setting"},
        Refusal{"kurrentdb://local host", "contains a space or a control character"}));

TEST(KurrentConnectionString, GivenCredentials_WhenRefused_ThenTheReasonNeverShowsThePassword) {
    const Check result = check("kurrentdb://admin:s3cret-passw0rd@bad$host");
    EXPECT_FALSE(result.valid);
    EXPECT_THAT(result.why, Not(HasSubstr("s3cret")));
    EXPECT_THAT(result.why, HasSubstr("'bad$host'"));
}

TEST(KurrentConnectionString, GivenANulByteInside_WhenChecked_ThenRefused) {
    const Check result = check(std::string("kurrentdb://local\0host", 22));
    EXPECT_FALSE(result.valid);
    EXPECT_THAT(result.why, HasSubstr("control character"));
}

}  // namespace
