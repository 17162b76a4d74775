// docs/contract.md "Append", bad input and limits: refused with INVALID_ARGUMENT and a message naming
// the field (empty stream_id, too long or with NUL, no events, empty type_name, an event_id that
// is not a UUID, duplicate event_ids in one request), or RESOURCE_EXHAUSTED naming the limit (more
// than 10,000 events or 4 MiB in one append); nothing written. Plus the ABI's own rules for
// requests no client library sends (plugin.h GROWTH, es_expected_kind).
//
// "Nothing written" is proven by the ids: after the refusal, the valid events of the refused
// request are appended to a fresh stream, which succeeds only if none of them was stored.
#include <cstddef>

#include "eventstore/abi_struct.hpp"
#include "eventstore/validation.hpp"
#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

class BadInput : public ConformanceTest {
protected:
    // Appends `events` to `stream_id`; expects `code` with `field` in the message, and then that
    // `unused` (events of the request, if any) can still be stored.
    void expect_refused(const std::string& stream_id, const std::vector<EventData>& events,
                        Code code, const std::string& field, const std::vector<EventData>& unused) {
        const AppendOutcome outcome = backend().append(stream_id, Expected::any(), events);
        EXPECT_TRUE(HasCode(outcome.status, code));
        EXPECT_NE(outcome.status.message().find(field), std::string::npos)
            << "the message must name " << field << ": " << outcome.status.message();
        if (!unused.empty()) expect_unused(unused);
    }

    void expect_unused(const std::vector<EventData>& events) {
        const std::string probe = stream("probe-" + new_event_id().substr(0, 8));
        EXPECT_TRUE(IsOk(backend().append(probe, Expected::no_stream(), events).status))
            << "the refused request's events must not have been stored";
    }
};

TEST_F(BadInput, EmptyStreamIdIsInvalidArgument) {
    const std::vector<EventData> events = make_events(1);
    expect_refused("", events, Code::invalid_argument, "stream_id", events);
}

TEST_F(BadInput, TooLongStreamIdIsInvalidArgument) {
    const std::vector<EventData> events = make_events(1);
    const std::string id = stream(std::string(validation::kDefaultMaxStreamIdBytes + 1 -
                                              prefix().size(), 'x'));
    expect_refused(id, events, Code::invalid_argument, "stream_id", events);
}

TEST_F(BadInput, StreamIdAtTheLimitIsAccepted) {
    const std::string id = stream(std::string(validation::kDefaultMaxStreamIdBytes -
                                              prefix().size(), 'x'));
    const std::vector<EventData> events = make_events(1);
    append_ok(id, events);
    EXPECT_TRUE(StreamHolds(id, ids_of(events)));
}

TEST_F(BadInput, StreamIdWithNulIsInvalidArgument) {
    const std::vector<EventData> events = make_events(1);
    expect_refused(stream(std::string("a\0b", 3)), events, Code::invalid_argument, "stream_id",
                   events);
}

TEST_F(BadInput, NoEventsIsInvalidArgument) {
    const std::string s = stream("empty");
    expect_refused(s, {}, Code::invalid_argument, "events", {});
    EXPECT_TRUE(StreamHolds(s, {}));
}

TEST_F(BadInput, EmptyTypeNameIsInvalidArgument) {
    std::vector<EventData> events = make_events(2);
    events[1].type_name.clear();
    expect_refused(stream("s"), events, Code::invalid_argument, "type_name", {events[0]});
}

TEST_F(BadInput, MalformedEventIdIsInvalidArgument) {
    const std::string good = new_event_id();
    for (const std::string& bad :
         {std::string("not-a-uuid"), good.substr(0, 35), good + "0",
          "{" + good.substr(1, 34) + "}", good.substr(0, 8) + good.substr(9) + "0",
          "g" + good.substr(1), std::string(36, '-')}) {
        std::vector<EventData> events = make_events(2);
        events[1].event_id = bad;
        expect_refused(stream("s"), events, Code::invalid_argument, "event_id", {events[0]});
    }
}

TEST_F(BadInput, DuplicateEventIdsInOneAppendAreInvalidArgument) {
    std::vector<EventData> events = make_events(3);
    events[2].event_id = events[0].event_id;
    expect_refused(stream("s"), events, Code::invalid_argument, "event_id",
                   {events[0], events[1]});
}

TEST_F(BadInput, TooManyEventsIsResourceExhausted) {
    const std::vector<EventData> events = make_events(validation::kDefaultMaxAppendEvents + 1);
    expect_refused(stream("s"), events, Code::resource_exhausted, "max_append_events",
                   {events.begin(), events.begin() + 10});
}

TEST_F(BadInput, TooManyBytesIsResourceExhausted) {
    const size_t limit = validation::kDefaultMaxAppendBytes;
    const std::vector<EventData> one{make_event("Large", std::string(limit + 1, 'x'))};
    expect_refused(stream("s"), one, Code::resource_exhausted, "max_append_bytes", {});
    // Two events, each under the limit, over it together.
    std::vector<EventData> two = make_events(2, "Half");
    for (EventData& event : two) event.payload = std::string(limit / 2 + 1, 'y');
    expect_refused(stream("s"), two, Code::resource_exhausted, "max_append_bytes", {two[0]});
}

class AbiBadInput : public AbiConformanceTest {
protected:
    // Sends a hand-built request; expects INVALID_ARGUMENT and `events` still unused.
    void expect_invalid(const es_append_request& request, const std::vector<EventData>& events) {
        es_append_result result{};
        EXPECT_TRUE(HasCode(abi().append_raw(request, result), Code::invalid_argument));
        EXPECT_TRUE(IsOk(backend().append(stream("probe"), Expected::no_stream(), events).status))
            << "the refused request's events must not have been stored";
    }

    // plugin.h GROWTH: `request` (of `events`, to stream("s")) is valid but for `unknown`, a set
    // field beyond the struct this build knows: INVALID_ARGUMENT. Then the very same request with
    // `unknown` zero must be stored, which proves the refusal was for that field alone (a plugin
    // without the size check, refusing the request for another reason, fails here).
    void expect_refused_for_growth_only(const es_append_request& request, uint64_t& unknown,
                                        const std::vector<EventData>& events) {
        ASSERT_EQ(abi::view(request.stream_id), stream("s")) << "the request itself is well formed";
        es_append_result result{};
        const Status refused = abi().append_raw(request, result);
        EXPECT_TRUE(HasCode(refused, Code::invalid_argument))
            << "a struct larger than the plugin knows, with a non-zero field beyond, must be "
               "refused (plugin.h GROWTH)";
        unknown = 0;
        EXPECT_TRUE(IsOk(abi().append_raw(request, result)))
            << "the same request with the unknown field zero is valid (plugin.h GROWTH: zero "
               "bytes beyond the known size are accepted)";
        EXPECT_TRUE(StreamHolds(stream("s"), ids_of(events)))
            << "the refused request must have written nothing; the accepted one, its event";
    }
};

TEST_F(AbiBadInput, UnknownExpectedKindIsInvalidArgument) {
    const std::vector<EventData> events = make_events(1);
    abi::AppendBuilder append = abi_append(stream("s"), Expected::any(), events);
    append.request().expected_kind = ES_EXPECT_EXACT + 4;
    expect_invalid(append.request(), events);
}

TEST_F(AbiBadInput, LargerStructWithUnknownFieldsSetIsRefused) {
    // The loader hands a plugin of an older minor each request as that minor knew it (cut to
    // its size), so a larger request reaches only a plugin of the header's own minor. (The event
    // struct, which the loader never cuts, is checked for every minor below.)
    const uint32_t minor = abi().store().plugin().abi_minor();
    if (minor < ES_PLUGIN_ABI_MINOR) {
        GTEST_SKIP() << "the loader sends ABI 1." << minor << " requests of its size";
    }
    const std::vector<EventData> events = make_events(1);
    abi::AppendBuilder append = abi_append(stream("s"), Expected::any(), events);
    struct Grown {
        es_append_request known;
        uint64_t unknown;  // a field from a future minor version
    } grown{append.request(), 1};
    static_assert(sizeof(Grown) == sizeof(es_append_request) + sizeof(uint64_t));
    grown.known.struct_size = sizeof(Grown);
    expect_refused_for_growth_only(grown.known, grown.unknown, events);
}

TEST_F(AbiBadInput, LargerEventStructWithUnknownFieldsSetIsRefused) {
    const std::vector<EventData> events = make_events(1);
    abi::AppendBuilder append = abi_append(stream("s"), Expected::any(), events);
    struct Grown {
        es_event_data known;
        uint64_t unknown;  // a field from a future minor version
    } grown{append.event(0), 1};
    static_assert(sizeof(Grown) == sizeof(es_event_data) + sizeof(uint64_t));
    grown.known.struct_size = sizeof(Grown);
    const es_event_data* pointers[] = {&grown.known};
    append.request().events = pointers;
    expect_refused_for_growth_only(append.request(), grown.unknown, events);
}

TEST_F(AbiBadInput, SmallerOlderEventStructIsReadWithDefaults) {
    // An es_event_data from a build that knew no headers and no payload: the plugin must read
    // what struct_size covers and treat the rest as zero, whatever lies beyond.
    EventData event = make_event("Old");
    event.headers = {{"beyond", "struct_size"}};
    event.payload = "beyond struct_size: must not be read";
    const std::vector<EventData> events{event};
    abi::AppendBuilder append = abi_append(stream("s"), Expected::any(), events);
    append.event(0).struct_size = offsetof(es_event_data, headers);
    es_append_result result{};
    ASSERT_TRUE(IsOk(abi().append_raw(append.request(), result)));
    const std::vector<RecordedEvent> read = whole_stream(stream("s"));
    ASSERT_EQ(read.size(), 1u);
    EXPECT_TRUE(read[0].data.headers.empty()) << "headers lie beyond the struct_size given";
    EXPECT_TRUE(read[0].data.payload.empty()) << "the payload lies beyond the struct_size given";
}

}  // namespace
}  // namespace eventstore::conformance
