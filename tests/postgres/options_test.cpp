// The postgres backend's options, parsed without a database: defaults, every key, refusals that
// name the key, dsn_env, and the connect timeout added to both DSN forms.
#include <cstdlib>

#include <gtest/gtest.h>

#include "postgres_options.hpp"

namespace eventstore::postgres {
namespace {

using Options = std::vector<std::pair<std::string, std::string>>;

TEST(PostgresOptionsTest, GivenNoOptions_WhenParsed_ThenDefaultsAndLibpqDefaultsWithATimeout) {
    const auto parsed = parse_postgres_options({});
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    EXPECT_EQ(parsed.value().dsn,
              "connect_timeout=5 keepalives_idle=10 keepalives_interval=5 keepalives_count=2 "
              "tcp_user_timeout=20000");
    EXPECT_EQ(parsed.value().pool_size, 8u);
    EXPECT_EQ(parsed.value().statement_timeout_ms, 15000u);
    EXPECT_EQ(parsed.value().schema, "eventstore");
    EXPECT_EQ(parsed.value().migrate, MigrateMode::automatic);
}

TEST(PostgresOptionsTest, GivenEveryKey_WhenParsed_ThenEachIsTaken) {
    const auto parsed = parse_postgres_options({{"dsn", "host=/tmp dbname=x"},
                                                {"pool_size", "3"},
                                                {"statement_timeout_ms", "2500"},
                                                {"connect_timeout_s", "9"},
                                                {"schema", "es_2"},
                                                {"migrate", "check"}});
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    EXPECT_EQ(parsed.value().dsn.rfind("host=/tmp dbname=x connect_timeout=9 ", 0), 0u);
    EXPECT_EQ(parsed.value().pool_size, 3u);
    EXPECT_EQ(parsed.value().statement_timeout_ms, 2500u);
    EXPECT_EQ(parsed.value().schema, "es_2");
    EXPECT_EQ(parsed.value().migrate, MigrateMode::check);
}

struct Refusal {
    std::string case_name;
    Options options;
    std::string named;
};

class PostgresOptionsRefusalTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(PostgresOptionsRefusalTest, GivenABadOption_WhenParsed_ThenInvalidArgumentNamingIt) {
    const auto parsed = parse_postgres_options(GetParam().options);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), Code::invalid_argument);
    EXPECT_NE(parsed.status().message().find(GetParam().named), std::string::npos)
        << parsed.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Keys, PostgresOptionsRefusalTest,
    ::testing::Values(
        Refusal{"UnknownKey", {{"dns", "x"}}, "unknown option 'dns' for the postgres backend"},
        Refusal{"PoolSizeZero", {{"pool_size", "0"}}, "pool_size"},
        Refusal{"PoolSizeNotANumber", {{"pool_size", "many"}}, "pool_size"},
        Refusal{"NegativeTimeout", {{"statement_timeout_ms", "-1"}}, "statement_timeout_ms"},
        Refusal{"ConnectTimeoutZero", {{"connect_timeout_s", "0"}}, "connect_timeout_s"},
        Refusal{"SchemaNotAnIdentifier", {{"schema", "Public; DROP"}}, "schema"},
        Refusal{"SchemaTooLong", {{"schema", std::string(49, 'a')}}, "schema"},
        Refusal{"MigrateUnknown", {{"migrate", "yes"}}, "migrate"},
        Refusal{"DsnAndDsnEnv", {{"dsn", "a"}, {"dsn_env", "B"}}, "dsn and dsn_env"},
        Refusal{"DsnEnvUnset", {{"dsn_env", "EVENTSTORE_TEST_SURELY_UNSET"}},
                "EVENTSTORE_TEST_SURELY_UNSET', which is not set"}),
    [](const ::testing::TestParamInfo<Refusal>& info) { return info.param.case_name; });

TEST(PostgresOptionsTest, GivenDsnEnv_WhenParsed_ThenTheVariablesValueIsTheDsn) {
    setenv("EVENTSTORE_TEST_DSN", "postgresql://u@h/db", 1);
    const auto parsed = parse_postgres_options({{"dsn_env", "EVENTSTORE_TEST_DSN"}});
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    EXPECT_EQ(parsed.value().dsn.rfind("postgresql://u@h/db?connect_timeout=5&keepalives_idle=10&", 0),
              0u);
}

TEST(PostgresOptionsTest, GivenADsnThatSetsItsTimeout_WhenParsed_ThenItIsKept) {
    EXPECT_EQ(with_parameter("host=h connect_timeout=1", "connect_timeout", "5"),
              "host=h connect_timeout=1");
    EXPECT_EQ(with_parameter("postgres://h/db?sslmode=disable", "connect_timeout", "7"),
              "postgres://h/db?sslmode=disable&connect_timeout=7");
}

}  // namespace
}  // namespace eventstore::postgres
