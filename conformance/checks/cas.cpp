// docs/contract.md "Append": expected_version is any, no_stream (current version 0), stream_exists
// (current version >= 1) or exact(n) (exact(0) = no_stream). A mismatch is FAILED_PRECONDITION
// with the stream's actual current version, and nothing is written.
#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

class Cas : public ConformanceTest {
protected:
    // Brings a new stream of this check to `version` (one event per version); returns the ids.
    std::vector<std::string> stream_at(const std::string& stream_id, size_t version) {
        const std::vector<EventData> events = make_events(version);
        if (version > 0) append_ok(stream_id, events);
        return ids_of(events);
    }

    // Appends one event with `expected`, expects success at `current_version`; returns its id.
    std::string expect_appended(const std::string& stream_id, Expected expected,
                                uint64_t current_version) {
        const EventData event = make_event();
        const AppendOutcome outcome = backend().append(stream_id, expected, {event});
        EXPECT_TRUE(IsOk(outcome.status));
        EXPECT_EQ(outcome.current_version, current_version) << "current_version after the append";
        return event.event_id;
    }

    // Appends one event with `expected` to a stream that holds `ids`; expects FAILED_PRECONDITION
    // reporting `ids.size()` as the actual version, and the stream and namespace unchanged.
    void expect_refused(const std::string& stream_id, Expected expected,
                        const std::vector<std::string>& ids) {
        const AppendOutcome outcome = backend().append(stream_id, expected, {make_event()});
        EXPECT_TRUE(HasCode(outcome.status, Code::failed_precondition));
        EXPECT_EQ(outcome.actual_version, std::optional<uint64_t>(ids.size()))
            << "the failure must report the stream's actual current version";
        EXPECT_TRUE(StreamHolds(stream_id, ids)) << "a refused append must write nothing";
        EXPECT_TRUE(NamespaceHolds(ids)) << "a refused append must write nothing";
    }
};

TEST_F(Cas, AnyAppendsToANewAndToAnExistingStream) {
    const std::string s = stream("any");
    const std::string first = expect_appended(s, Expected::any(), 1);
    const std::string second = expect_appended(s, Expected::any(), 2);
    EXPECT_TRUE(StreamHolds(s, {first, second}));
}

TEST_F(Cas, NoStreamCreatesTheStream) {
    const std::string s = stream("new");
    const std::string id = expect_appended(s, Expected::no_stream(), 1);
    EXPECT_TRUE(StreamHolds(s, {id}));
}

TEST_F(Cas, NoStreamOnAnExistingStreamFailsWithTheActualVersion) {
    const std::string s = stream("existing");
    expect_refused(s, Expected::no_stream(), stream_at(s, 2));
}

TEST_F(Cas, StreamExistsAppendsToAnExistingStream) {
    const std::string s = stream("existing");
    std::vector<std::string> ids = stream_at(s, 1);
    ids.push_back(expect_appended(s, Expected::stream_exists(), 2));
    EXPECT_TRUE(StreamHolds(s, ids));
}

TEST_F(Cas, StreamExistsOnAMissingStreamFailsWithVersionZero) {
    expect_refused(stream("missing"), Expected::stream_exists(), {});
}

TEST_F(Cas, ExactAppendsAtTheCurrentVersion) {
    const std::string s = stream("exact");
    std::vector<std::string> ids = stream_at(s, 2);
    ids.push_back(expect_appended(s, Expected::exact(2), 3));
    ids.push_back(expect_appended(s, Expected::exact(3), 4));
    EXPECT_TRUE(StreamHolds(s, ids));
}

TEST_F(Cas, ExactBehindTheCurrentVersionFailsWithTheActualVersion) {
    const std::string s = stream("behind");
    expect_refused(s, Expected::exact(1), stream_at(s, 3));
}

TEST_F(Cas, ExactAheadOfTheCurrentVersionFailsWithTheActualVersion) {
    const std::string s = stream("ahead");
    expect_refused(s, Expected::exact(5), stream_at(s, 2));
}

TEST_F(Cas, ExactZeroCreatesTheStream) {
    const std::string s = stream("zero");
    const std::string id = expect_appended(s, Expected::exact(0), 1);
    EXPECT_TRUE(StreamHolds(s, {id}));
}

TEST_F(Cas, ExactZeroOnAnExistingStreamFailsWithTheActualVersion) {
    const std::string s = stream("zero");
    expect_refused(s, Expected::exact(0), stream_at(s, 1));
}

TEST_F(Cas, ExactOnAMissingStreamFailsWithVersionZero) {
    expect_refused(stream("missing"), Expected::exact(3), {});
}

}  // namespace
}  // namespace eventstore::conformance
