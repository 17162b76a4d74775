// The append rules (eventstore/append_rules.hpp) and the paging summaries of the postgres backend, without a database: they
// must decide exactly as the memory backend does (docs/contract.md "Append", "ReadStream", "ReadAll").
#include <gtest/gtest.h>

#include "appender.hpp"
#include "event_reader.hpp"
#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"
#include "eventstore/append_rules.hpp"
#include "eventstore/page_rules.hpp"

namespace eventstore::postgres {
namespace {

using plugin::all_page;
using plugin::expected_matches;
using plugin::stream_page;
using plugin::judge_retry;
using plugin::wrong_expected_version;

// A request to stream S with the given event ids.
class Request {
public:
    explicit Request(std::vector<std::string> ids) {
        append_.request().stream_id = abi::bytes("S");
        for (std::string& id : ids) append_.add_event().event_id = append_.keep(std::move(id));
    }
    const es_append_request& get() const { return append_.request(); }

private:
    abi::AppendBuilder append_;
};

TEST(JudgeRetryTest, GivenNoStoredIds_ThenNotARetry) {
    es_append_result result{};
    const auto verdict = judge_retry(Request({"a"}).get(), {}, result);
    ASSERT_TRUE(verdict.ok());
    EXPECT_FALSE(verdict.value());
}

TEST(JudgeRetryTest, GivenEveryIdStoredConsecutivelyInOrder_ThenARetryWithTheOriginalResult) {
    es_append_result result{};
    const auto verdict = judge_retry(Request({"a", "b"}).get(),
                                     {{"b", "S", 4, 11}, {"a", "S", 3, 10}}, result);
    ASSERT_TRUE(verdict.ok());
    EXPECT_TRUE(verdict.value());
    EXPECT_EQ(result.current_version, 4u);
    EXPECT_EQ(result.first_global_position, 10u);
    EXPECT_EQ(result.last_global_position, 11u);
}

TEST(JudgeRetryTest, GivenSomeIdsStored_ThenAlreadyExistsNamingTheMissingOne) {
    es_append_result result{};
    const auto verdict = judge_retry(Request({"a", "b"}).get(), {{"a", "S", 1, 1}}, result);
    ASSERT_FALSE(verdict.ok());
    EXPECT_EQ(verdict.status().code(), Code::already_exists);
    EXPECT_NE(verdict.status().message().find("events[1] is not stored"), std::string::npos);
}

TEST(JudgeRetryTest, GivenAnIdStoredInAnotherStream_ThenAlreadyExists) {
    es_append_result result{};
    const auto verdict = judge_retry(Request({"a"}).get(), {{"a", "T", 1, 1}}, result);
    ASSERT_FALSE(verdict.ok());
    EXPECT_NE(verdict.status().message().find("stored in stream 'T'"), std::string::npos);
}

TEST(JudgeRetryTest, GivenIdsStoredInAnotherOrder_ThenAlreadyExists) {
    es_append_result result{};
    const auto verdict = judge_retry(Request({"a", "b"}).get(),
                                     {{"a", "S", 2, 2}, {"b", "S", 1, 1}}, result);
    ASSERT_FALSE(verdict.ok());
    EXPECT_NE(verdict.status().message().find("not consecutive"), std::string::npos);
}

TEST(ExpectedVersionTest, GivenEachKind_ThenMatchesAsTheContractSays) {
    es_append_request request = abi::make_struct<es_append_request>();
    request.expected_kind = ES_EXPECT_NO_STREAM;
    EXPECT_TRUE(expected_matches(request, 0));
    EXPECT_FALSE(expected_matches(request, 1));
    request.expected_kind = ES_EXPECT_STREAM_EXISTS;
    EXPECT_FALSE(expected_matches(request, 0));
    EXPECT_TRUE(expected_matches(request, 7));
    request.expected_kind = ES_EXPECT_EXACT;
    request.expected_version = 3;
    EXPECT_TRUE(expected_matches(request, 3));
    EXPECT_FALSE(expected_matches(request, 4));
    es_append_result result{};
    EXPECT_EQ(wrong_expected_version(request, 4, result).code(), Code::failed_precondition);
    EXPECT_EQ(result.actual_version, 4u);
}

TEST(AcceptedVersionsTest, GivenEachKind_ThenTheRangeHoldsExactlyTheVersionsExpectedMatchesAccepts) {
    es_append_request request = abi::make_struct<es_append_request>();
    for (const uint32_t kind : {ES_EXPECT_ANY, ES_EXPECT_NO_STREAM, ES_EXPECT_STREAM_EXISTS,
                                ES_EXPECT_EXACT}) {
        for (const uint64_t expected : {uint64_t{0}, uint64_t{1}, uint64_t{5}}) {
            request.expected_kind = kind;
            request.expected_version = expected;
            const AcceptedVersions accepts = accepted_versions(request);
            for (uint64_t current = 0; current < 10; ++current) {
                const bool in_range = static_cast<int64_t>(current) >= accepts.lowest &&
                                      static_cast<int64_t>(current) <= accepts.highest;
                EXPECT_EQ(in_range, expected_matches(request, current))
                    << "kind " << kind << " expected " << expected << " current " << current;
            }
        }
    }
}

es_read_stream_request stream_request(bool forward, uint64_t from) {
    es_read_stream_request request = abi::make_struct<es_read_stream_request>();
    request.forward = forward;
    request.from_version = from;
    return request;
}

TEST(PagingTest, GivenAStreamOf10_WhenPagingForward_ThenNextVersionAndEndAsMemory) {
    EXPECT_EQ(stream_page(stream_request(true, 0), 10, 3).next_from_version, 4u);
    EXPECT_FALSE(stream_page(stream_request(true, 0), 10, 3).end_of_stream);
    EXPECT_TRUE(stream_page(stream_request(true, 8), 10, 3).end_of_stream);
    EXPECT_EQ(stream_page(stream_request(true, 20), 10, 0).next_from_version, 20u);
    EXPECT_TRUE(stream_page(stream_request(true, 20), 10, 0).end_of_stream);
}

TEST(PagingTest, GivenAStreamOf10_WhenPagingBackward_ThenNextVersionAndEndAsMemory) {
    EXPECT_EQ(stream_page(stream_request(false, 0), 10, 4).next_from_version, 6u);
    EXPECT_FALSE(stream_page(stream_request(false, 0), 10, 4).end_of_stream);
    EXPECT_EQ(stream_page(stream_request(false, 2), 10, 2).next_from_version, 0u);
    EXPECT_TRUE(stream_page(stream_request(false, 2), 10, 2).end_of_stream);
    EXPECT_EQ(stream_page(stream_request(false, 99), 10, 4).next_from_version, 6u);
}

TEST(PagingTest, GivenReadAll_ThenLastScannedAndHeadAsMemory) {
    // A full page stops at its last event.
    EXPECT_EQ(all_page(0, 100, 50, 5, 5, 9).last_scanned_position, 9u);
    EXPECT_FALSE(all_page(0, 100, 50, 5, 5, 9).reached_head);
    // A short page scanned to the head.
    EXPECT_EQ(all_page(10, 100, 50, 2, 5, 40).last_scanned_position, 50u);
    EXPECT_TRUE(all_page(10, 100, 50, 2, 5, 40).reached_head);
    // A filtered page that matched nothing still moves by the scan limit.
    EXPECT_EQ(all_page(10, 20, 50, 0, 5, 0).last_scanned_position, 30u);
    EXPECT_FALSE(all_page(10, 20, 50, 0, 5, 0).reached_head);
    // Beyond the head: stays where it was asked to start.
    EXPECT_EQ(all_page(70, 20, 50, 0, 5, 0).last_scanned_position, 70u);
    EXPECT_TRUE(all_page(70, 20, 50, 0, 5, 0).reached_head);
}

}  // namespace
}  // namespace eventstore::postgres
