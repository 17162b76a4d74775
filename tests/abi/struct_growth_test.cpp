// The growth rules of plugin.h, as abi_struct.hpp applies them on both sides of the ABI: a struct
// from an older build is completed with zeros, one from a newer build is accepted only when the
// fields this build does not know are zero, and writes never pass the other side's struct_size.
#include <cstring>

#include <gtest/gtest.h>

#include "eventstore/abi_struct.hpp"

namespace eventstore::abi {
namespace {

// es_limits as a newer minor might define it: one more field at the end.
struct FutureLimits {
    es_limits known;
    uint64_t added_later;
};

TEST(StructGrowth, GivenASmallerStructFromAnOlderBuild_WhenRead_ThenTheMissingFieldsAreZero) {
    es_limits full = make_struct<es_limits>();
    full.max_stream_id_bytes = 64;
    full.max_append_events = 7;
    full.max_append_bytes = 999;
    es_limits older;
    std::memset(&older, 0xAB, sizeof(older));  // bytes past the old size must not be read
    std::memcpy(&older, &full, offsetof(es_limits, max_append_bytes));
    older.struct_size = offsetof(es_limits, max_append_bytes);

    auto read = read_struct(&older, "es_limits");
    ASSERT_TRUE(read.ok()) << read.status().message();
    EXPECT_EQ(read->max_stream_id_bytes, 64u);
    EXPECT_EQ(read->max_append_events, 7u);
    EXPECT_EQ(read->max_append_bytes, 0u);
    EXPECT_EQ(read->max_page_size, 0u);
    EXPECT_EQ(read->struct_size, sizeof(es_limits));
}

TEST(StructGrowth, GivenALargerStructWhoseUnknownFieldsAreZero_WhenRead_ThenAccepted) {
    FutureLimits newer{};
    newer.known.struct_size = sizeof(FutureLimits);
    newer.known.max_append_events = 5;
    auto read = read_struct(&newer.known, "es_limits");
    ASSERT_TRUE(read.ok()) << read.status().message();
    EXPECT_EQ(read->max_append_events, 5u);
}

TEST(StructGrowth, GivenALargerStructWithAnUnknownFieldSet_WhenRead_ThenRefusedNamingTheSizes) {
    FutureLimits newer{};
    newer.known.struct_size = sizeof(FutureLimits);
    newer.added_later = 1;
    auto read = read_struct(&newer.known, "es_limits");
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.status().message(),
              "es_limits is " + std::to_string(sizeof(FutureLimits)) +
                  " bytes with non-zero fields beyond the " + std::to_string(sizeof(es_limits)) +
                  " bytes this build knows");
}

TEST(StructGrowth, GivenAStructSizeTooSmallForItsOwnSizeField_WhenRead_ThenRefused) {
    es_limits broken{};
    broken.struct_size = 2;
    EXPECT_FALSE(read_struct(&broken, "es_limits").ok());
    EXPECT_FALSE(read_struct<es_limits>(nullptr, "es_limits").ok());
}

TEST(StructGrowth, GivenTheOtherSideKnowsASmallerStruct_WhenWritten_ThenNothingPastItsSizeChanges) {
    es_page_info older;
    std::memset(&older, 0xAB, sizeof(older));
    older.struct_size = offsetof(es_page_info, last_scanned_position);
    es_page_info value = make_struct<es_page_info>();
    value.next_from_version = 9;
    value.last_scanned_position = 77;
    write_struct(&older, value);
    EXPECT_EQ(older.struct_size, offsetof(es_page_info, last_scanned_position));
    EXPECT_EQ(older.next_from_version, 9u);
    unsigned char untouched[sizeof(es_page_info) - offsetof(es_page_info, last_scanned_position)];
    std::memset(untouched, 0xAB, sizeof(untouched));
    EXPECT_EQ(std::memcmp(reinterpret_cast<unsigned char*>(&older) +
                              offsetof(es_page_info, last_scanned_position),
                          untouched, sizeof(untouched)),
              0);
}

TEST(StructGrowth, GivenAMessageLongerThanTheErrorBuffer_WhenWritten_ThenTruncatedAndTerminated) {
    es_error err = make_struct<es_error>();
    write_error(&err, std::string(5000, 'x'));
    EXPECT_EQ(read_error(err), std::string(ES_ERROR_MESSAGE_CAPACITY - 1, 'x'));
}

}  // namespace
}  // namespace eventstore::abi
