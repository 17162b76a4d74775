// docs/contract.md "Append", idempotent retry: if every event_id of the request is already stored in
// this stream, as consecutive events in the same order, the call succeeds and returns the
// original versions and positions; nothing is written twice. If only some are, or an id is stored
// elsewhere: ALREADY_EXISTS, nothing written.
#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

::testing::AssertionResult SameResult(const AppendOutcome& original, const AppendOutcome& retry) {
    if (auto ok = IsOk(retry.status); !ok) return ok << " for an identical retry";
    if (retry.current_version == original.current_version &&
        retry.first_position == original.first_position &&
        retry.last_position == original.last_position) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "the retry returned version " << retry.current_version << ", positions "
           << retry.first_position << ".." << retry.last_position
           << "; the original append returned version " << original.current_version
           << ", positions " << original.first_position << ".." << original.last_position;
}

class Idempotency : public ConformanceTest {
protected:
    // Appends `batch` where the stream holds `ids` and expects ALREADY_EXISTS and no change.
    void expect_already_exists(const std::string& stream_id, const std::vector<EventData>& batch,
                               const std::vector<std::string>& ids) {
        EXPECT_TRUE(HasCode(backend().append(stream_id, Expected::any(), batch).status,
                            Code::already_exists));
        EXPECT_TRUE(StreamHolds(stream_id, ids)) << "nothing may be written";
    }

    static std::vector<std::string> ids(const std::vector<EventData>& events,
                                        std::initializer_list<size_t> picks) {
        std::vector<std::string> out;
        for (size_t i : picks) out.push_back(events[i].event_id);
        return out;
    }
};

TEST_F(Idempotency, IdenticalRetryReturnsTheOriginalResult) {
    const std::string s = stream("retry");
    append_ok(stream("before"), make_events(2));  // so positions differ from versions
    const std::vector<EventData> batch = make_events(3);
    const AppendOutcome original = append_ok(s, batch);
    EXPECT_TRUE(SameResult(original, backend().append(s, Expected::any(), batch)));
}

TEST_F(Idempotency, IdenticalRetryWritesNothing) {
    const std::string s = stream("retry");
    const std::vector<EventData> batch = make_events(3);
    append_ok(s, batch);
    backend().append(s, Expected::any(), batch);
    EXPECT_TRUE(StreamHolds(s, ids_of(batch)));
    EXPECT_TRUE(NamespaceHolds(ids_of(batch)));
}

TEST_F(Idempotency, RetryOfAnEarlierBatchReturnsItsOriginalResult) {
    const std::string s = stream("retry");
    const std::vector<EventData> events = make_events(4);
    const std::vector<EventData> first(events.begin(), events.begin() + 2);
    const AppendOutcome original = append_ok(s, first);
    append_ok(s, {events.begin() + 2, events.end()});
    EXPECT_TRUE(SameResult(original, backend().append(s, Expected::any(), first)))
        << "a retry reports the version of its own last event (plugin.h es_append_result)";
    EXPECT_TRUE(StreamHolds(s, ids_of(events)));
}

TEST_F(Idempotency, RetryWithItsOriginalExpectedVersionSucceeds) {
    // The retry carries the expected version of the first attempt, which no longer matches.
    const std::string s = stream("retry");
    const std::vector<EventData> events = make_events(3);
    const std::vector<EventData> first(events.begin(), events.begin() + 2);
    const AppendOutcome original = append_ok(s, first, Expected::no_stream());
    append_ok(s, {events[2]}, Expected::exact(2));
    EXPECT_TRUE(SameResult(original, backend().append(s, Expected::no_stream(), first)));
    EXPECT_TRUE(StreamHolds(s, ids_of(events)));
}

TEST_F(Idempotency, RetryWithOneMoreEventIsAlreadyExists) {
    const std::string s = stream("overlap");
    const std::vector<EventData> events = make_events(3);
    append_ok(s, {events[0], events[1]});
    expect_already_exists(s, events, ids(events, {0, 1}));
    EXPECT_TRUE(NamespaceHolds(ids(events, {0, 1}))) << "the new event may not be stored";
}

TEST_F(Idempotency, RetryInAnotherOrderIsAlreadyExists) {
    const std::string s = stream("reordered");
    const std::vector<EventData> events = make_events(2);
    append_ok(s, events);
    expect_already_exists(s, {events[1], events[0]}, ids_of(events));
}

TEST_F(Idempotency, RetryOfNonConsecutiveEventsIsAlreadyExists) {
    const std::string s = stream("gapped");
    const std::vector<EventData> events = make_events(3);
    append_ok(s, events);
    expect_already_exists(s, {events[0], events[2]}, ids_of(events));
}

TEST_F(Idempotency, IdStoredInAnotherStreamIsAlreadyExists) {
    const std::vector<EventData> events = make_events(1);
    append_ok(stream("first"), events);
    expect_already_exists(stream("second"), events, {});
    EXPECT_TRUE(NamespaceHolds(ids_of(events)));
}

}  // namespace
}  // namespace eventstore::conformance
