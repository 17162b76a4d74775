// plugin.h "Stream lifecycle" (ABI 1.5; docs/contract.md "Stream lifecycle"): delete, tombstone,
// truncate and retention. A stream's last_version never goes back and every expected version
// compares with it; read_stream and read_all return readable events only, from the moment the
// change returns; positions of the remaining events never move and read_all's
// last_scanned_position carries a reader over the gaps; a removed event's id is free again; the
// owner of a stream outlives its events.
//
// The lifecycle is optional: a plugin that does not name ES_CAP_STREAM_LIFECYCLE, or a server
// answering UNIMPLEMENTED, has every check here skipped (not counted, named in the summary).
#include <chrono>
#include <thread>

#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

using namespace std::chrono_literals;

// Short ages keep the suite fast: an event is readable for kAge after it is recorded.
constexpr auto kAge = 300ms;
constexpr uint64_t kAgeUs = std::chrono::microseconds(kAge).count();

class Lifecycle : public LifecycleTest {
protected:
    // Changes a stream and records a failure unless it succeeds; the state after it.
    StreamState change_ok(const std::string& stream_id, const StreamChange& change) {
        const StateOutcome outcome = backend().change_stream(stream_id, change);
        EXPECT_TRUE(IsOk(outcome.status)) << "changing stream " << stream_id;
        return outcome.state;
    }

    Status read_status(const std::string& stream_id) {
        return backend().read_stream(stream_id, 0, 0, true).status;
    }

    // The events' versions, read forward from version 1.
    std::vector<uint64_t> readable_versions(const std::string& stream_id) {
        return versions_of(whole_stream(stream_id));
    }

    static std::vector<uint64_t> positions_of(const std::vector<RecordedEvent>& events) {
        std::vector<uint64_t> positions;
        for (const RecordedEvent& event : events) positions.push_back(event.global_position);
        return positions;
    }
};

TEST_F(Lifecycle, DeleteThenAppendContinuesTheVersionsAndIsReadable) {
    const std::string s = stream("s");
    append_ok(s, make_events(2));
    const StreamState deleted = change_ok(s, StreamChange::remove());
    EXPECT_EQ(deleted.last_version, 2u);
    EXPECT_EQ(deleted.truncate_before, 3u);
    EXPECT_FALSE(deleted.tombstoned);
    EXPECT_TRUE(HasCode(read_status(s), Code::not_found)) << "a deleted stream reads as missing";
    EXPECT_TRUE(NamespaceHolds({})) << "a deleted stream's events leave read_all";

    const AppendOutcome refused = backend().append(s, Expected::no_stream(), make_events(1));
    EXPECT_TRUE(HasCode(refused.status, Code::failed_precondition))
        << "no_stream after a delete: the stream's last_version is still 2";
    EXPECT_EQ(refused.actual_version, std::optional<uint64_t>(2));

    const std::vector<EventData> later = make_events(2);
    const AppendOutcome appended = append_ok(s, later);
    EXPECT_EQ(appended.current_version, 4u) << "a version is never given twice";
    const std::vector<RecordedEvent> events = whole_stream(s);
    EXPECT_TRUE(SameIds(ids_of(later), ids_of(events)));
    EXPECT_EQ(versions_of(events), (std::vector<uint64_t>{3, 4}));
    EXPECT_TRUE(NamespaceHolds(ids_of(later)));
    EXPECT_TRUE(IsOk(backend().append(s, Expected::exact(4), make_events(1)).status));
}

TEST_F(Lifecycle, DeleteOfAStreamWithNoEventIsNotFound) {
    EXPECT_TRUE(HasCode(backend().change_stream(stream("none"), StreamChange::remove()).status,
                        Code::not_found));
    EXPECT_TRUE(HasCode(backend().stream_state(stream("none")).status, Code::not_found))
        << "a refused delete leaves no trace of the stream";
}

TEST_F(Lifecycle, DeleteOfADeletedStreamChangesNothing) {
    const std::string s = stream("s");
    append_ok(s, make_events(3));
    const StreamState first = change_ok(s, StreamChange::remove());
    const StreamState again = change_ok(s, StreamChange::remove(Expected::exact(3)));
    EXPECT_EQ(again.last_version, first.last_version);
    EXPECT_EQ(again.truncate_before, first.truncate_before);
    EXPECT_TRUE(HasCode(read_status(s), Code::not_found));
}

TEST_F(Lifecycle, DeleteWithAWrongExpectedVersionFailsWithTheActualVersion) {
    const std::string s = stream("s");
    const std::vector<EventData> events = make_events(3);
    append_ok(s, events);
    for (const Expected expected : {Expected::exact(2), Expected::exact(4), Expected::no_stream()}) {
        const StateOutcome refused = backend().change_stream(s, StreamChange::remove(expected));
        EXPECT_TRUE(HasCode(refused.status, Code::failed_precondition));
        EXPECT_EQ(refused.actual_version, std::optional<uint64_t>(3));
        EXPECT_FALSE(refused.tombstoned);
    }
    const StateOutcome tombstone = backend().change_stream(s, StreamChange::tombstone(Expected::exact(1)));
    EXPECT_TRUE(HasCode(tombstone.status, Code::failed_precondition));
    EXPECT_EQ(tombstone.actual_version, std::optional<uint64_t>(3));
    EXPECT_TRUE(StreamHolds(s, ids_of(events))) << "a refused delete removes nothing";

    const StateOutcome missing =
        backend().change_stream(stream("none"), StreamChange::remove(Expected::stream_exists()));
    EXPECT_TRUE(HasCode(missing.status, Code::failed_precondition))
        << "the expected version is checked before the stream's existence";
    EXPECT_EQ(missing.actual_version, std::optional<uint64_t>(0));

    EXPECT_EQ(change_ok(s, StreamChange::remove(Expected::exact(3))).truncate_before, 4u);
    EXPECT_TRUE(HasCode(
        backend().change_stream(s, StreamChange::remove(Expected::no_stream())).status,
        Code::failed_precondition))
        << "after a delete, no_stream still meets last_version 3";
}

TEST_F(Lifecycle, TombstonedStreamRefusesEveryAppendAndChangeAndReadsAsMissing) {
    const std::string s = stream("s");
    append_ok(s, make_events(2));
    const StreamState tombstoned = change_ok(s, StreamChange::tombstone());
    EXPECT_TRUE(tombstoned.tombstoned);
    EXPECT_EQ(tombstoned.last_version, 2u);
    EXPECT_EQ(tombstoned.truncate_before, 3u);

    const AppendOutcome append = backend().append(s, Expected::any(), make_events(1));
    EXPECT_TRUE(HasCode(append.status, Code::failed_precondition));
    EXPECT_TRUE(append.tombstoned) << "the refusal must say the stream is tombstoned";
    EXPECT_TRUE(HasCode(read_status(s), Code::not_found));
    EXPECT_TRUE(NamespaceHolds({}));
    for (const StreamChange& change :
         {StreamChange::remove(), StreamChange::tombstone(), StreamChange::truncate(5),
          StreamChange::retention(1, 0)}) {
        const StateOutcome refused = backend().change_stream(s, change);
        EXPECT_TRUE(HasCode(refused.status, Code::failed_precondition))
            << "change kind " << static_cast<int>(change.kind) << " of a tombstoned stream";
        EXPECT_TRUE(refused.tombstoned) << "change kind " << static_cast<int>(change.kind);
    }
    const StateOutcome state = backend().stream_state(s);
    ASSERT_TRUE(IsOk(state.status));
    EXPECT_TRUE(state.state.tombstoned);
    EXPECT_EQ(state.state.last_version, 2u) << "a refused append burns no version";
}

TEST_F(Lifecycle, TombstoneOfAStreamWithNoEventReservesItsName) {
    const std::string s = stream("s");
    EXPECT_TRUE(change_ok(s, StreamChange::tombstone(Expected::no_stream())).tombstoned);
    const AppendOutcome append = backend().append(s, Expected::no_stream(), make_events(1));
    EXPECT_TRUE(HasCode(append.status, Code::failed_precondition));
    EXPECT_TRUE(append.tombstoned);
    EXPECT_TRUE(HasCode(read_status(s), Code::not_found));
}

TEST_F(Lifecycle, TruncateRemovesTheEventsBelowTheVersion) {
    const std::string s = stream("s");
    const std::vector<EventData> events = make_events(5);
    append_ok(s, events);
    EXPECT_EQ(change_ok(s, StreamChange::truncate(3)).truncate_before, 3u);
    EXPECT_EQ(readable_versions(s), (std::vector<uint64_t>{3, 4, 5}));
    const StreamPage backward = backend().read_stream(s, 0, 10, false);
    ASSERT_TRUE(IsOk(backward.status));
    EXPECT_EQ(versions_of(backward.events), (std::vector<uint64_t>{5, 4, 3}));
    EXPECT_TRUE(backward.end_of_stream) << "a backward read ends at the first readable version";
    const StreamPage below = backend().read_stream(s, 2, 10, false);
    EXPECT_TRUE(below.events.empty() || below.status.code() == Code::not_found ||
                below.events.front().stream_version >= 3)
        << "a backward read from a removed version returns nothing removed";

    EXPECT_EQ(change_ok(s, StreamChange::truncate(2)).truncate_before, 3u)
        << "truncate_before never goes back";
    EXPECT_EQ(readable_versions(s), (std::vector<uint64_t>{3, 4, 5}));
    EXPECT_TRUE(NamespaceHolds({events[2].event_id, events[3].event_id, events[4].event_id}));
    EXPECT_EQ(append_ok(s, make_events(1), Expected::exact(5)).current_version, 6u);
}

TEST_F(Lifecycle, TruncateBeyondTheEndRemovesEveryEventAndStopsAtTheEnd) {
    const std::string s = stream("s");
    append_ok(s, make_events(3));
    const StreamState state = change_ok(s, StreamChange::truncate(100));
    EXPECT_EQ(state.truncate_before, 4u) << "capped at last_version + 1";
    EXPECT_EQ(state.last_version, 3u);
    EXPECT_TRUE(HasCode(read_status(s), Code::not_found));
    EXPECT_TRUE(NamespaceHolds({}));
    const std::vector<EventData> later = make_events(2);
    EXPECT_EQ(append_ok(s, later).current_version, 5u);
    EXPECT_EQ(readable_versions(s), (std::vector<uint64_t>{4, 5}))
        << "the cap keeps later appends readable";
}

TEST_F(Lifecycle, TruncateOfAStreamWithNoEventIsNotFound) {
    EXPECT_TRUE(HasCode(backend().change_stream(stream("none"), StreamChange::truncate(3)).status,
                        Code::not_found));
}

TEST_F(Lifecycle, RetentionByCountKeepsTheLastEvents) {
    const std::string s = stream("s");
    EXPECT_EQ(change_ok(s, StreamChange::retention(2, 0)).max_count, 2u)
        << "retention may be set before the first event";
    for (int i = 0; i < 3; ++i) append_ok(s, make_events(2));
    EXPECT_EQ(readable_versions(s), (std::vector<uint64_t>{5, 6}));
    EXPECT_EQ(versions_of(whole_namespace()), (std::vector<uint64_t>{5, 6}));
    const StateOutcome state = backend().stream_state(s);
    ASSERT_TRUE(IsOk(state.status));
    EXPECT_EQ(state.state.max_count, 2u);
    EXPECT_EQ(state.state.last_version, 6u);

    change_ok(s, StreamChange::retention(1, 0));
    EXPECT_EQ(readable_versions(s), (std::vector<uint64_t>{6})) << "a lower limit applies at once";
}

TEST_F(Lifecycle, RetentionByAgeHidesEventsOlderThanTheAge) {
    const std::string s = stream("s");
    change_ok(s, StreamChange::retention(0, kAgeUs));
    const auto appended = std::chrono::steady_clock::now();
    append_ok(s, make_events(2));
    const std::vector<RecordedEvent> young = whole_stream(s);
    if (std::chrono::steady_clock::now() - appended < kAge / 2) {
        EXPECT_EQ(young.size(), 2u) << "events younger than max_age are readable";
    }
    std::this_thread::sleep_for(kAge + 100ms);
    const std::vector<EventData> later = make_events(1);
    append_ok(s, later);
    EXPECT_EQ(readable_versions(s), (std::vector<uint64_t>{3})) << "only the young event";
    EXPECT_TRUE(NamespaceHolds(ids_of(later)));
    std::this_thread::sleep_for(kAge + 100ms);
    EXPECT_TRUE(HasCode(read_status(s), Code::not_found)) << "every event is older than max_age";
    EXPECT_TRUE(NamespaceHolds({}));
    const StateOutcome state = backend().stream_state(s);
    ASSERT_TRUE(IsOk(state.status));
    EXPECT_EQ(state.state.max_age_us, kAgeUs);
    EXPECT_EQ(state.state.last_version, 3u);
}

TEST_F(Lifecycle, SetRetentionReplacesBothLimitsAndStreamStateReadsThemBack) {
    const std::string s = stream("s");
    EXPECT_TRUE(HasCode(backend().stream_state(s).status, Code::not_found))
        << "a stream with no event, no tombstone and no retention";
    change_ok(s, StreamChange::retention(3, 0));
    const StreamState both = change_ok(s, StreamChange::retention(0, 60000000));
    EXPECT_EQ(both.max_count, 0u) << "SET_RETENTION replaces both limits";
    EXPECT_EQ(both.max_age_us, 60000000u);
    const StateOutcome state = backend().stream_state(s);
    ASSERT_TRUE(IsOk(state.status)) << "a stream with retention set exists before its first event";
    EXPECT_EQ(state.state.last_version, 0u);
    EXPECT_EQ(state.state.max_age_us, 60000000u);

    append_ok(s, make_events(4));
    change_ok(s, StreamChange::truncate(2));
    const StateOutcome after = backend().stream_state(s);
    ASSERT_TRUE(IsOk(after.status));
    EXPECT_EQ(after.state.last_version, 4u);
    EXPECT_EQ(after.state.truncate_before, 2u);
    EXPECT_FALSE(after.state.tombstoned);
    EXPECT_EQ(after.state.max_count, 0u);
}

TEST_F(Lifecycle, ReadAllSkipsRemovedEventsAndKeepsEveryOtherPosition) {
    const std::string a = stream("a");
    const std::string b = stream("b");
    for (int i = 0; i < 3; ++i) {
        append_ok(a, make_events(2));
        append_ok(b, make_events(1));
    }
    const std::vector<RecordedEvent> before = whole_namespace();
    change_ok(a, StreamChange::remove());
    change_ok(b, StreamChange::truncate(2));
    std::vector<RecordedEvent> kept;
    for (const RecordedEvent& event : before) {
        if (event.stream_id == b && event.stream_version >= 2) kept.push_back(event);
    }
    const std::vector<RecordedEvent> after = whole_namespace();
    EXPECT_TRUE(SameIds(ids_of(kept), ids_of(after)));
    EXPECT_EQ(positions_of(after), positions_of(kept)) << "no remaining position moves";

    // Page by page: every page moves past the gaps, and reached_head comes.
    uint64_t from = before.front().global_position - 1;
    std::vector<RecordedEvent> paged;
    for (int pages = 0; pages < kPageLimit; ++pages) {
        const AllPage page = backend().read_all(from, 1, prefix());
        ASSERT_TRUE(IsOk(page.status));
        for (const RecordedEvent& event : page.events) paged.push_back(event);
        if (page.reached_head) break;
        ASSERT_GT(page.last_scanned_position, from) << "a page that does not move forward";
        from = page.last_scanned_position;
    }
    EXPECT_TRUE(SameIds(ids_of(kept), ids_of(paged)));
}

TEST_F(Lifecycle, ReadAllAcrossGapsWithAStreamPrefix) {
    const std::string keep = prefix() + "keep-";
    const std::string gone = prefix() + "gone-";
    std::vector<std::string> kept;
    for (int i = 0; i < 4; ++i) {
        const std::vector<EventData> mine = make_events(2);
        append_ok(keep + std::to_string(i), mine);
        for (const EventData& event : mine) kept.push_back(event.event_id);
        append_ok(gone + std::to_string(i), make_events(3));
    }
    for (int i = 0; i < 4; ++i) change_ok(gone + std::to_string(i), StreamChange::remove());
    auto kept_read = read_all_with_prefix(backend(), keep, 3);
    ASSERT_TRUE(IsOk(kept_read.ok() ? Status() : kept_read.status()));
    EXPECT_TRUE(SameIds(kept, ids_of(kept_read.value())));
    auto gone_read = read_all_with_prefix(backend(), gone, 3);
    ASSERT_TRUE(IsOk(gone_read.ok() ? Status() : gone_read.status()));
    EXPECT_TRUE(gone_read.value().empty()) << gone_read.value().size() << " removed events read";
}

// A reader (a subscriber's catch-up, or a tailing read_all) that stopped inside what a delete
// then removes goes on from its last position: it is handed no removed event and misses no
// later one.
TEST_F(Lifecycle, AReaderPositionedInsideAGapContinuesPastIt) {
    const std::string a = stream("a");
    const std::string b = stream("b");
    append_ok(a, make_events(4));
    const AllPage first = backend().read_all(0, 2, prefix());
    ASSERT_TRUE(IsOk(first.status));
    ASSERT_EQ(first.events.size(), 2u);
    change_ok(a, StreamChange::remove());
    const std::vector<EventData> later = make_events(2);
    append_ok(b, later);
    append_ok(a, make_events(1));

    std::vector<RecordedEvent> rest;
    uint64_t from = first.last_scanned_position;
    for (int pages = 0; pages < kPageLimit; ++pages) {
        const AllPage page = backend().read_all(from, 2, prefix());
        ASSERT_TRUE(IsOk(page.status));
        for (const RecordedEvent& event : page.events) rest.push_back(event);
        if (page.reached_head) break;
        from = page.last_scanned_position;
    }
    ASSERT_EQ(rest.size(), 3u) << "b's two events and a's version 5";
    EXPECT_EQ(rest[0].data.event_id, later[0].event_id);
    EXPECT_EQ(rest[1].data.event_id, later[1].event_id);
    EXPECT_EQ(rest[2].stream_id, a);
    EXPECT_EQ(rest[2].stream_version, 5u);
    for (const RecordedEvent& event : rest) {
        EXPECT_GT(event.global_position, first.last_scanned_position);
    }
}

TEST_F(Lifecycle, RetryOfAnAppendAfterADeleteAppendsAnew) {
    const std::string s = stream("s");
    const std::vector<EventData> events = make_events(2);
    const AppendOutcome original = append_ok(s, events, Expected::no_stream());
    change_ok(s, StreamChange::remove());
    const AppendOutcome exact = backend().append(s, Expected::no_stream(), events);
    EXPECT_TRUE(HasCode(exact.status, Code::failed_precondition))
        << "the removed events' ids are free: no idempotent success, the expected version meets "
           "last_version";
    EXPECT_EQ(exact.actual_version, std::optional<uint64_t>(2));
    const AppendOutcome anew = append_ok(s, events, Expected::any());
    EXPECT_EQ(anew.current_version, 4u);
    EXPECT_GT(anew.first_position, original.last_position);
    EXPECT_TRUE(SameIds(ids_of(events), ids_of(whole_stream(s))));
    EXPECT_EQ(readable_versions(s), (std::vector<uint64_t>{3, 4}));
    const AppendOutcome retry = append_ok(s, events, Expected::any());
    EXPECT_EQ(retry.current_version, 4u) << "a retry of the new append is idempotent again";
    EXPECT_EQ(retry.first_position, anew.first_position);
}

// Through the C ABI only: over gRPC the owner is the token's tenant (docs/security.md).
class LifecycleOwners : public Lifecycle {
protected:
    void SetUp() override {
        if (!subject().abi()) GTEST_SKIP() << "a check of the C ABI: not run over --target";
        Lifecycle::SetUp();
    }

    Status change_as(const std::string& owner, const std::string& stream_id,
                     const StreamChange& change) {
        es_stream_change_request request = abi_change(stream_id, change);
        request.owner_tenant = abi::bytes(owner);
        es_stream_state state = abi::make_struct<es_stream_state>();
        return abi_backend().store().change_stream(request, state);
    }

    Status state_as(const std::string& owner, const std::string& stream_id) {
        es_stream_state_request request = abi::make_struct<es_stream_state_request>();
        request.stream_id = abi::bytes(stream_id);
        request.owner_tenant = abi::bytes(owner);
        es_stream_state state = abi::make_struct<es_stream_state>();
        return abi_backend().store().stream_state(request, state);
    }

    AbiBackend& abi_backend() { return static_cast<AbiBackend&>(backend()); }
};

TEST_F(LifecycleOwners, ATenantCannotChangeAnotherOwnersStream) {
    const std::string s = stream("owned");
    std::vector<EventData> events = make_events(2);
    for (EventData& event : events) event.tenant_id = "acme";
    append_ok(s, events);
    for (const StreamChange& change :
         {StreamChange::remove(Expected::exact(9)), StreamChange::tombstone(),
          StreamChange::truncate(2), StreamChange::retention(1, 0)}) {
        EXPECT_TRUE(HasCode(change_as("globex", s, change), Code::permission_denied))
            << "change kind " << static_cast<int>(change.kind)
            << " (before the expected version is checked)";
    }
    EXPECT_TRUE(StreamHolds(s, ids_of(events))) << "a refused change removes nothing";
    EXPECT_TRUE(HasCode(state_as("globex", s), Code::not_found));
    EXPECT_TRUE(IsOk(state_as("acme", s)));

    EXPECT_TRUE(IsOk(change_as("acme", s, StreamChange::remove())));
    EXPECT_TRUE(HasCode(change_as("globex", s, StreamChange::remove()), Code::permission_denied))
        << "the owner outlives the events";
    std::vector<EventData> theirs = make_events(1);
    theirs[0].tenant_id = "globex";
    abi::AppendBuilder append = abi_append(s, Expected::any(), theirs);
    append.request().owner_tenant = abi::bytes("globex");
    es_append_result result{};
    EXPECT_TRUE(HasCode(abi_backend().append_raw(append.request(), result), Code::permission_denied))
        << "a deleted stream keeps its owner";
}

}  // namespace
}  // namespace eventstore::conformance
