// docs/contract.md "Append": atomic. All events of one call are written, in order, with consecutive
// stream versions, or none. The failing batches here fail part way: their 3rd event reuses an
// event_id stored in another stream (ALREADY_EXISTS), after two events that alone would be fine.
#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

class Atomicity : public ConformanceTest {
protected:
    // Stores one event in another stream of this check and returns it, to be reused.
    EventData stored_elsewhere() {
        const EventData event = make_event("Stored");
        append_ok(stream("elsewhere"), {event});
        return event;
    }

    // Two new events followed by `reused`: fails at the 3rd event.
    static std::vector<EventData> batch_failing_third(const EventData& reused) {
        std::vector<EventData> batch = make_events(2, "New");
        batch.push_back(reused);
        return batch;
    }
};

TEST_F(Atomicity, BatchFailingAtItsThirdEventWritesNothing) {
    const EventData reused = stored_elsewhere();
    const std::string s = stream("target");
    const AppendOutcome outcome = backend().append(s, Expected::any(), batch_failing_third(reused));
    EXPECT_TRUE(HasCode(outcome.status, Code::already_exists));
    EXPECT_TRUE(StreamHolds(s, {})) << "none of the batch's events may be stored";
    EXPECT_TRUE(NamespaceHolds({reused.event_id})) << "none of the batch's events may be stored";
}

TEST_F(Atomicity, BatchFailingAtItsThirdEventBurnsNoStreamVersion) {
    const EventData reused = stored_elsewhere();
    const std::string s = stream("target");
    const std::vector<EventData> before = make_events(2);
    append_ok(s, before);
    const AppendOutcome failed = backend().append(s, Expected::any(), batch_failing_third(reused));
    EXPECT_TRUE(HasCode(failed.status, Code::already_exists));
    const EventData next = make_event();
    const AppendOutcome outcome = append_ok(s, {next}, Expected::exact(2));
    EXPECT_EQ(outcome.current_version, 3u) << "the failed batch must not have moved the version";
    EXPECT_TRUE(StreamHolds(s, {before[0].event_id, before[1].event_id, next.event_id}));
}

TEST_F(Atomicity, BatchFailingAtItsThirdEventLeavesItsNewIdsFree) {
    const EventData reused = stored_elsewhere();
    const std::vector<EventData> batch = batch_failing_third(reused);
    EXPECT_TRUE(HasCode(backend().append(stream("target"), Expected::any(), batch).status,
                        Code::already_exists));
    // The two new ids were never stored, so another stream may take them.
    const std::vector<EventData> again(batch.begin(), batch.begin() + 2);
    const AppendOutcome outcome = backend().append(stream("other"), Expected::no_stream(), again);
    EXPECT_TRUE(IsOk(outcome.status)) << "the failed batch's first two ids must still be unused";
    EXPECT_TRUE(StreamHolds(stream("target"), {}));
}

TEST_F(Atomicity, BatchIsWrittenWithConsecutiveVersionsInOrder) {
    const std::string s = stream("batch");
    const EventData first = make_event();
    append_ok(s, {first});
    const std::vector<EventData> batch = make_events(7);
    const AppendOutcome outcome = append_ok(s, batch, Expected::exact(1));
    EXPECT_EQ(outcome.current_version, 8u);
    std::vector<std::string> ids{first.event_id};
    for (const auto& id : ids_of(batch)) ids.push_back(id);
    EXPECT_TRUE(StreamHolds(s, ids)) << "versions 2..8 in the order the batch gave them";
}

}  // namespace
}  // namespace eventstore::conformance
