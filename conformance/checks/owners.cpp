// plugin.h "Stream owners" (ABI 1.3): a stream belongs to the tenant_id of its first event. An
// append whose owner_tenant names another owner is PERMISSION_DENIED with nothing written and no
// actual_version, whatever its expected version; a read_stream naming another owner is NOT_FOUND;
// two owners racing to create a stream never both succeed; an empty owner_tenant checks nothing.
// Through the C ABI only: over gRPC the owner is the token's tenant (security.md). For a plugin
// of an older minor the loader checks owners around it, so these checks certify that path too.
#include <atomic>
#include <thread>

#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

class Owners : public AbiConformanceTest {
protected:
    // Appends `events`, each of tenant `owner`, with owner_tenant `owner`.
    Status append_as(const std::string& owner, const std::string& stream_id, Expected expected,
                     std::vector<EventData> events, es_append_result& result) {
        for (EventData& event : events) event.tenant_id = owner;
        abi::AppendBuilder append = abi_append(stream_id, expected, events);
        append.request().owner_tenant = abi::bytes(owner);
        result = es_append_result{};
        return abi().append_raw(append.request(), result);
    }

    Status read_as(const std::string& owner, const std::string& stream_id, bool forward) {
        es_read_stream_request read = abi::make_struct<es_read_stream_request>();
        read.stream_id = abi::bytes(stream_id);
        read.forward = forward;
        read.max_count = 10;
        read.owner_tenant = abi::bytes(owner);
        auto iterator = abi().store().read_stream(read);
        if (!iterator.ok()) return iterator.status();
        auto events = drain(*iterator.value());
        return events.ok() ? Status() : events.status();
    }
};

TEST_F(Owners, AppendIntoAnotherOwnersStreamIsPermissionDeniedWithNothingWritten) {
    const std::string s = stream("owned");
    const std::vector<EventData> first = make_events(2);
    es_append_result result{};
    ASSERT_TRUE(IsOk(append_as("acme", s, Expected::no_stream(), first, result)));
    for (const Expected expected : {Expected::any(), Expected::no_stream(), Expected::stream_exists(),
                                    Expected::exact(2), Expected::exact(5)}) {
        EXPECT_TRUE(HasCode(append_as("globex", s, expected, make_events(1), result),
                            Code::permission_denied));
        EXPECT_EQ(result.actual_version, 0u) << "the refusal must not report the stream's version";
    }
    EXPECT_TRUE(StreamHolds(s, ids_of(first))) << "a refused append must write nothing";
    EXPECT_TRUE(IsOk(append_as("acme", s, Expected::exact(2), make_events(1), result)))
        << "the owner's own appends go on";
}

TEST_F(Owners, ReadStreamOfAnotherOwnersStreamIsNotFound) {
    const std::string s = stream("owned");
    es_append_result result{};
    ASSERT_TRUE(IsOk(append_as("acme", s, Expected::any(), make_events(1), result)));
    EXPECT_TRUE(HasCode(read_as("globex", s, true), Code::not_found));
    EXPECT_TRUE(HasCode(read_as("globex", s, false), Code::not_found));
    EXPECT_TRUE(IsOk(read_as("acme", s, true)));
    EXPECT_TRUE(IsOk(read_as("", s, true))) << "an empty owner_tenant checks nothing";
}

TEST_F(Owners, EmptyOwnerTenantChecksNothing) {
    const std::string s = stream("owned");
    es_append_result result{};
    ASSERT_TRUE(IsOk(append_as("acme", s, Expected::any(), make_events(1), result)));
    EXPECT_TRUE(IsOk(append_as("", s, Expected::any(), make_events(1), result)));
}

TEST_F(Owners, TwoOwnersRacingToCreateAStreamNeverBothSucceed) {
    constexpr int kStreams = 20;
    for (int i = 0; i < kStreams; ++i) {
        const std::string s = stream("race-" + std::to_string(i));
        std::atomic<int> succeeded{0};
        std::vector<std::thread> racers;
        for (const std::string owner : {"acme", "globex"}) {
            racers.emplace_back([&, owner] {
                es_append_result result{};
                if (IsOk(append_as(owner, s, Expected::any(), make_events(2), result))) ++succeeded;
            });
        }
        for (auto& racer : racers) racer.join();
        EXPECT_EQ(succeeded.load(), 1) << s;
        const std::vector<RecordedEvent> events = whole_stream(s);
        ASSERT_EQ(events.size(), 2u) << s;
        EXPECT_EQ(events[0].data.tenant_id, events[1].data.tenant_id) << s;
    }
}

}  // namespace
}  // namespace eventstore::conformance
