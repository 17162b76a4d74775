// docs/contract.md "ReadStream": forward reads versions >= from_version (0 reads from 1), backward
// versions <= from_version (0 reads from the last); max_count 0 is the default page (100), above
// the cap (1,000) is clamped; the result says where the next page starts and whether the end was
// reached; a stream that does not exist is NOT_FOUND. "ReadAll": positions > after, ascending,
// filtered by stream prefix, with the position scanned up to, so a page that matched nothing still
// moves the caller forward.
//
// Over the C ABI the suite is the host, and plugin.h has the host clamp max_count before the
// plugin sees it; there the page-size checks check that the plugin fills pages of that size.
#include <algorithm>
#include <optional>

#include "eventstore/validation.hpp"
#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

constexpr uint32_t kDefaultPage = validation::kDefaultPageSize;
constexpr uint32_t kMaxPage = validation::kDefaultMaxPageSize;

std::vector<uint64_t> range(uint64_t first, uint64_t last) {  // either direction, inclusive
    std::vector<uint64_t> out;
    for (uint64_t v = first;; v = first <= last ? v + 1 : v - 1) {
        out.push_back(v);
        if (v == last) return out;
    }
}

using Pages = std::vector<std::vector<uint64_t>>;

// More pages than any stream of these checks needs.
constexpr int kStreamPageLimit = 100;

class Reads : public ConformanceTest {
protected:
    // A stream of this check holding `count` events, appended at once.
    struct Filled {
        std::vector<std::string> ids;
        uint64_t first_position = 0;
    };
    Filled fill(const std::string& stream_id, size_t count) {
        const std::vector<EventData> events = make_events(count);
        return Filled{ids_of(events), append_ok(stream_id, events).first_position};
    }

    // Reads this check's namespace with `max_count` from just before `first`, the position of its
    // first event, so that what a shared database held before (other namespaces, more than a scan
    // may cover when max_scan is 0, "the plugin's choice") is not in the way; a page short of the
    // head that matched nothing is read on from. The first page with events must hold `size`.
    void expect_first_page_size(uint64_t first, uint32_t max_count, size_t size, const char* what) {
        uint64_t after = first > 0 ? first - 1 : 0;
        for (int read = 0; read < kStreamPageLimit; ++read) {
            const AllPage page = backend().read_all(after, max_count, prefix());
            ASSERT_TRUE(IsOk(page.status)) << what << " after position " << after;
            if (!page.events.empty() || page.reached_head) {
                EXPECT_EQ(page.events.size(), size)
                    << what << " after position " << after << ": the page ended at position "
                    << page.last_scanned_position
                    << (page.reached_head ? " (the head)"
                                          : ", short of the head: the plugin capped its scan "
                                            "(max_scan 0) before it found a page of this check's "
                                            "events, which follow each other");
                return;
            }
            ASSERT_GT(page.last_scanned_position, after) << "a page short of the head must move on";
            after = page.last_scanned_position;
        }
        ADD_FAILURE() << what << ": no page with events after " << kStreamPageLimit << " pages";
    }

    // The versions of each page, reading `stream_id` from `from` until end_of_stream; nothing
    // (and a failure saying so) when a read fails or the pages do not end within kStreamPageLimit.
    std::optional<Pages> pages(const std::string& stream_id, bool forward, uint32_t page_size) {
        Pages out;
        uint64_t from = 0;
        for (int read = 0; read < kStreamPageLimit; ++read) {
            const StreamPage page = backend().read_stream(stream_id, from, page_size, forward);
            EXPECT_TRUE(IsOk(page.status)) << "reading " << stream_id << " from " << from;
            if (!page.status.ok()) return std::nullopt;
            out.push_back(versions_of(page.events));
            if (page.end_of_stream) return out;
            from = page.next_from_version;
        }
        ADD_FAILURE() << "reading " << stream_id << (forward ? " forward" : " backward")
                      << " in pages of " << page_size << " did not end after " << kStreamPageLimit
                      << " pages (the last said end_of_stream false, next_from_version " << from
                      << ")";
        return std::nullopt;
    }

    // One read_stream page; fails the check unless it is OK.
    StreamPage read_ok(const std::string& stream_id, uint64_t from, uint32_t count, bool forward) {
        StreamPage page = backend().read_stream(stream_id, from, count, forward);
        EXPECT_TRUE(IsOk(page.status)) << "reading " << stream_id << " from " << from;
        return page;
    }
};

TEST_F(Reads, ForwardFromZeroStartsAtVersionOne) {
    const std::string s = stream("s");
    fill(s, 5);
    const StreamPage page = read_ok(s, 0, 10, true);
    EXPECT_EQ(versions_of(page.events), range(1, 5));
    EXPECT_TRUE(page.end_of_stream);
    EXPECT_EQ(versions_of(read_ok(s, 1, 10, true).events), range(1, 5)) << "from 1: the same";
}

TEST_F(Reads, ForwardPagesVisitEveryVersionOnce) {
    const std::string s = stream("s");
    fill(s, 25);
    EXPECT_EQ(pages(s, true, 10), (Pages{range(1, 10), range(11, 20), range(21, 25)}));
}

TEST_F(Reads, ForwardFromPastTheEndReturnsNothing) {
    const std::string s = stream("s");
    fill(s, 5);
    const StreamPage page = read_ok(s, 100, 10, true);
    EXPECT_TRUE(page.events.empty());
    EXPECT_TRUE(page.end_of_stream);
}

TEST_F(Reads, BackwardFromZeroStartsAtTheLastVersion) {
    const std::string s = stream("s");
    fill(s, 5);
    const StreamPage page = read_ok(s, 0, 10, false);
    EXPECT_EQ(versions_of(page.events), range(5, 1));
    EXPECT_TRUE(page.end_of_stream);
}

TEST_F(Reads, BackwardPagesVisitEveryVersionOnce) {
    const std::string s = stream("s");
    fill(s, 25);
    EXPECT_EQ(pages(s, false, 10), (Pages{range(25, 16), range(15, 6), range(5, 1)}));
}

TEST_F(Reads, BackwardFromPastTheEndStartsAtTheLastVersion) {
    const std::string s = stream("s");
    fill(s, 5);
    const StreamPage page = read_ok(s, 100, 3, false);
    EXPECT_EQ(versions_of(page.events), range(5, 3));
    EXPECT_FALSE(page.end_of_stream);
    EXPECT_EQ(page.next_from_version, 2u);
}

TEST_F(Reads, MaxCountZeroReadsTheDefaultPage) {
    const std::string s = stream("s");
    const uint64_t first = fill(s, kDefaultPage + 50).first_position;
    const StreamPage page = read_ok(s, 0, 0, true);
    EXPECT_EQ(versions_of(page.events), range(1, kDefaultPage));
    EXPECT_FALSE(page.end_of_stream);
    EXPECT_EQ(page.next_from_version, kDefaultPage + 1);
    expect_first_page_size(first, 0, kDefaultPage, "read_all with max_count 0");
}

TEST_F(Reads, MaxCountAboveTheCapIsClamped) {
    const std::string s = stream("s");
    const uint64_t first = fill(s, kMaxPage + 100).first_position;
    const StreamPage page = read_ok(s, 0, 5 * kMaxPage, true);
    EXPECT_EQ(page.events.size(), kMaxPage);
    EXPECT_FALSE(page.end_of_stream);
    expect_first_page_size(first, 5 * kMaxPage, kMaxPage, "read_all with max_count above the cap");
}

TEST_F(Reads, MissingStreamIsNotFound) {
    fill(stream("order-1"), 1);  // a stream whose id starts with the one read
    for (const bool forward : {true, false}) {
        const StreamPage page = backend().read_stream(stream("order-"), 0, 10, forward);
        EXPECT_TRUE(HasCode(page.status, Code::not_found)) << (forward ? "forward" : "backward");
        EXPECT_TRUE(page.events.empty());
    }
}

TEST_F(Reads, ReadAllPagesInPositionOrderWithoutGapOrOverlap) {
    std::vector<std::string> commit_order;
    for (int i = 0; i < 30; ++i) {
        for (const auto& id : fill(stream("s" + std::to_string(i % 3)), 1 + i % 2).ids) {
            commit_order.push_back(id);
        }
    }
    const auto read = read_all_with_prefix(backend(), prefix(), 7);
    ASSERT_TRUE(IsOk(read.ok() ? Status() : read.status()));
    EXPECT_TRUE(SameIds(commit_order, ids_of(read.value())));
    for (size_t i = 1; i < read.value().size(); ++i) {
        ASSERT_GT(read.value()[i].global_position, read.value()[i - 1].global_position)
            << "read_all must return ascending positions, each once";
    }
}

TEST_F(Reads, ReadAllWithAPrefixReturnsOnlyMatchingStreams) {
    std::vector<std::string> orders;
    for (int i = 0; i < 12; ++i) {
        const std::string kind = i % 3 == 0 ? "invoice-" : "order-";
        const auto ids = fill(stream(kind + std::to_string(i % 2)), 2).ids;
        if (kind == "order-") orders.insert(orders.end(), ids.begin(), ids.end());
    }
    const auto read = read_all_with_prefix(backend(), stream("order-"), 5);
    ASSERT_TRUE(IsOk(read.ok() ? Status() : read.status()));
    EXPECT_TRUE(SameIds(orders, ids_of(read.value())));
}

TEST_F(Reads, ReadAllWithAPrefixMatchingNothingStillMovesForward) {
    for (int i = 0; i < 30; ++i) fill(stream("s"), 1);
    const std::vector<RecordedEvent> all = whole_namespace();
    ASSERT_FALSE(all.empty());
    uint64_t after = 0;
    for (int guard = 0; guard < 1000; ++guard) {
        const AllPage page = backend().read_all(after, 10, stream("nothing-"));
        ASSERT_TRUE(IsOk(page.status));
        EXPECT_TRUE(page.events.empty()) << "no stream matches the prefix";
        if (page.reached_head) {
            after = std::max(after, page.last_scanned_position);
            break;
        }
        ASSERT_GT(page.last_scanned_position, after) << "a page short of the head must move on";
        after = page.last_scanned_position;
    }
    EXPECT_GE(after, all.back().global_position)
        << "the scan must pass every position of this check's events";
}

TEST_F(Reads, ReadAllAfterTheLastPositionReturnsNothing) {
    fill(stream("s"), 3);
    const std::vector<RecordedEvent> all = whole_namespace();
    ASSERT_EQ(all.size(), 3u);
    const AllPage page = backend().read_all(all.back().global_position, 10, prefix());
    ASSERT_TRUE(IsOk(page.status));
    EXPECT_TRUE(page.events.empty());
    EXPECT_GE(page.last_scanned_position, all.back().global_position);
}

}  // namespace
}  // namespace eventstore::conformance
