// docs/contract.md "What is preserved, byte for byte, on every backend": event_id, type_name,
// content_type, tenant_id, correlation_id, causation_id, the headers map (any UTF-8, empty strings
// included) and the payload (zero bytes inside, empty, up to the append limit), through every read
// path. "Terms": recorded_at is assigned by the backend at append, UTC, microseconds; and it never
// decreases along positions (issue 3).
#include <chrono>

#include "eventstore/validation.hpp"
#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

// How far the backend's clock may be from this machine's (a remote server or database).
constexpr int64_t kClockSkewUs = 60LL * 1000 * 1000;

int64_t now_us() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

EventData every_field() {
    EventData event = make_event("OrderPlaced", R"({"order":"123","total":42.5})");
    event.content_type = "application/json";
    event.tenant_id = "tenant-7";
    event.correlation_id = "corr-0001";
    event.causation_id = "cause-0002";
    event.headers = {{"source", "web"}, {"trace-id", "4bf92f3577b34da6"}, {"user", "alice"}};
    return event;
}

enum class Path { read_stream, read_all, both };

class Metadata : public ConformanceTest {
protected:
    // Appends `events` to one stream of this check; what `path` returns must equal them, field
    // by field (read_all over the namespace, which holds that stream only).
    void expect_round_trip(const std::vector<EventData>& events, Path path = Path::both) {
        const std::string s = stream("meta");
        append_ok(s, events);
        if (path != Path::read_all) expect_same(events, whole_stream(s), "read_stream");
        if (path != Path::read_stream) expect_same(events, whole_namespace(), "read_all");
    }

    static void expect_same(const std::vector<EventData>& sent,
                            const std::vector<RecordedEvent>& read, const char* path) {
        ASSERT_EQ(read.size(), sent.size()) << path << " returned a different number of events";
        for (size_t i = 0; i < sent.size(); ++i) {
            EXPECT_TRUE(SameData(sent[i], read[i].data)) << "event " << i << " through " << path;
        }
    }
};

TEST_F(Metadata, EveryFieldRoundTripsThroughReadStream) {
    expect_round_trip({every_field(), every_field()}, Path::read_stream);
}

TEST_F(Metadata, EveryFieldRoundTripsThroughReadAll) {
    expect_round_trip({every_field(), every_field()}, Path::read_all);
}

TEST_F(Metadata, UnicodeRoundTrips) {
    EventData event = make_event("Bestellung·Aufgegeben✓", "{\"name\":\"Zoë 🐱 ünïcödé\"}");
    event.content_type = "application/json; charset=utf-8";
    event.tenant_id = "テナント-7";
    event.correlation_id = "корреляция-1";
    event.causation_id = "原因-🚀";
    event.headers = {{"ключ", "значение"}, {"emoji-🎉", "👍🏽"}, {"combining", "e\xcc\x81"},
                     {"rtl", "שלום"}};
    expect_round_trip({event});
}

TEST_F(Metadata, EmptyOptionalFieldsRoundTrip) {
    EventData event = make_event("Bare", "x");
    event.content_type.clear();
    expect_round_trip({event});
}

TEST_F(Metadata, ManyHeadersRoundTrip) {
    EventData event = make_event("Headed", "x");
    for (int i = 0; i < 300; ++i) {
        event.headers.emplace_back("header-" + std::to_string(i), std::string(1 + i % 50, 'v'));
    }
    expect_round_trip({event});
}

TEST_F(Metadata, EmptyHeaderKeyAndValueRoundTrip) {
    EventData event = make_event("Headed", "x");
    event.headers = {{"", "value of the empty key"}, {"empty-value", ""}, {"plain", "v"}};
    expect_round_trip({event});
}

TEST_F(Metadata, PayloadWithZeroBytesRoundTrips) {
    std::string payload("\0lead\0\0inner\0", 13);
    for (int b = 0; b < 256; ++b) payload += static_cast<char>(b);
    payload += '\0';
    expect_round_trip({make_event("Binary", payload)});
}

TEST_F(Metadata, EmptyPayloadRoundTrips) {
    expect_round_trip({make_event("Empty", ""), make_event("NotEmpty", "x")});
}

TEST_F(Metadata, PayloadNearTheAppendLimitRoundTrips) {
    // 4 KiB under the default limit, which also counts the metadata. No zero byte in it: zero
    // bytes have their own check, this one is about size.
    std::string payload(validation::kDefaultMaxAppendBytes - 4096, '\0');
    for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(1 + i % 255);
    expect_round_trip({make_event("Large", payload)});
}

TEST_F(Metadata, RecordedAtIsSetByTheBackendNearNow) {
    const int64_t before = now_us();
    append_ok(stream("clock"), make_events(3));
    const int64_t after = now_us();
    for (const RecordedEvent& event : whole_namespace()) {
        EXPECT_GE(event.recorded_at_us, before - kClockSkewUs)
            << "recorded_at must be the (UTC) time of the append";
        EXPECT_LE(event.recorded_at_us, after + kClockSkewUs)
            << "recorded_at must be the (UTC) time of the append";
    }
}

TEST_F(Metadata, RecordedAtNeverDecreasesAlongPositions) {
    for (int i = 0; i < 20; ++i) append_ok(stream("s" + std::to_string(i % 3)), make_events(2));
    run_threads(subject().writers, [&](int writer) {
        for (int i = 0; i < 20; ++i) {
            EXPECT_TRUE(IsOk(backend().append(stream("w" + std::to_string(writer)),
                                              Expected::any(), make_events(1)).status));
        }
    });
    const std::vector<RecordedEvent> read = whole_namespace();
    ASSERT_FALSE(read.empty());
    for (size_t i = 1; i < read.size(); ++i) {
        ASSERT_GE(read[i].recorded_at_us, read[i - 1].recorded_at_us)
            << "position " << read[i].global_position << " was recorded before position "
            << read[i - 1].global_position;
    }
}

}  // namespace
}  // namespace eventstore::conformance
