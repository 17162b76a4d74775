// How the postgres backend lays out what it stores, without a database: the headers' encoding,
// SQL array literals, and text fields PostgreSQL cannot hold.
#include <gtest/gtest.h>

#include "event_columns.hpp"
#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"
#include "eventstore/header_codec.hpp"

namespace eventstore::postgres {
namespace {

using plugin::decode_headers;
using plugin::encode_headers;

std::string as_string(es_bytes bytes) { return std::string(abi::view(bytes)); }

TEST(HeaderCodecTest, GivenAwkwardHeaders_WhenEncodedAndDecoded_ThenIdenticalInOrder) {
    const std::string nul_value("a\0b", 3);
    const std::vector<std::pair<std::string, std::string>> given = {
        {"", "value of the empty key"}, {"empty", ""}, {"zero", nul_value}, {"ключ", "👍🏽"},
        {"b", "1"}, {"a", "2"}};
    std::vector<es_key_value> headers;
    for (const auto& [key, value] : given) headers.push_back({abi::bytes(key), abi::bytes(value)});
    std::string stored;
    encode_headers(headers.data(), headers.size(), stored);

    std::vector<es_key_value> decoded;
    ASSERT_TRUE(decode_headers(stored, decoded));
    ASSERT_EQ(decoded.size(), given.size());
    for (size_t i = 0; i < given.size(); ++i) {
        EXPECT_EQ(as_string(decoded[i].key), given[i].first);
        EXPECT_EQ(as_string(decoded[i].value), given[i].second);
    }
}

TEST(HeaderCodecTest, GivenNoHeaders_WhenEncoded_ThenNoBytes) {
    std::string stored;
    encode_headers(nullptr, 0, stored);
    EXPECT_TRUE(stored.empty());
    std::vector<es_key_value> decoded{{}};
    EXPECT_TRUE(decode_headers(stored, decoded));
    EXPECT_TRUE(decoded.empty());
}

TEST(HeaderCodecTest, GivenTruncatedBytes_WhenDecoded_ThenRefused) {
    const es_key_value header{abi::bytes("key"), abi::bytes("value")};
    std::string stored;
    encode_headers(&header, 1, stored);
    std::vector<es_key_value> decoded;
    for (size_t cut = 1; cut < stored.size(); ++cut) {
        EXPECT_FALSE(decode_headers(std::string_view(stored).substr(0, cut), decoded)) << cut;
    }
}

TEST(ArrayLiteralTest, GivenQuotesBackslashesAndBraces_WhenWritten_ThenEscapedForPostgres) {
    ArrayLiteral texts;
    texts.add_text("plain");
    texts.add_text("");
    texts.add_text("q\"b\\{,}");
    EXPECT_EQ(texts.text(), R"({"plain","","q\"b\\{,}"})");
    ArrayLiteral numbers;
    EXPECT_EQ(numbers.text(), "{}");
    numbers.add_number(1);
    numbers.add_number(-2);
    EXPECT_EQ(numbers.text(), "{1,-2}");
}

TEST(EventColumnsTest, GivenANulInATextField_WhenChecked_ThenInvalidArgumentNamingIt) {
    const std::string type("Ty\0pe", 5);
    abi::AppendBuilder append;
    append.add_event().type_name = abi::bytes(type);
    const Status status = check_storable(append.request());
    EXPECT_EQ(status.code(), Code::invalid_argument);
    EXPECT_NE(status.message().find("events[0].metadata.type_name"), std::string::npos)
        << status.message();
}

TEST(EventColumnsTest, GivenANulInTheOwnerTenant_WhenChecked_ThenInvalidArgument) {
    // Text cannot carry it: sent as a parameter, "acme\0x" would arrive as "acme" and match acme.
    const std::string owner("acme\0x", 6);
    abi::AppendBuilder append;
    append.add_event().tenant_id = abi::bytes("acme");
    append.request().owner_tenant = abi::bytes(owner);
    const Status status = check_storable(append.request());
    EXPECT_EQ(status.code(), Code::invalid_argument);
    EXPECT_NE(status.message().find("owner_tenant"), std::string::npos) << status.message();
}

TEST(EventColumnsTest, GivenTwoEvents_WhenLaidOut_ThenPayloadAndHeadersAreFoundByOffset) {
    const std::string payload_a("\0\1", 2);
    abi::AppendBuilder append;
    append.request().stream_id = abi::bytes("S");
    append.add_event().payload = abi::bytes(payload_a);
    append.add_event().payload = abi::bytes("xyz");
    append.add_header(1, "k", "v");
    EventColumns columns;
    columns.add(append.request(), 4);
    EXPECT_EQ(columns.event_count(), 2u);
    EXPECT_EQ(columns.stream_versions.text(), "{4,5}");
    EXPECT_EQ(columns.payload_at.text(), "{1,3}");
    EXPECT_EQ(columns.payload_length.text(), "{2,3}");
    EXPECT_EQ(columns.headers_at.text(), "{3,6}");
    EXPECT_EQ(columns.headers_length.text(), "{0,10}");
    EXPECT_EQ(columns.blob.substr(5, 10), std::string("\0\0\0\1k\0\0\0\1v", 10));
}

}  // namespace
}  // namespace eventstore::postgres
