#include "support.hpp"

#include <algorithm>
#include <cstdio>
#include <random>
#include <thread>

namespace eventstore::conformance {

namespace {

uint64_t random_bits() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return engine();
}

std::string hex(uint64_t value, int digits) {
    std::string out(digits, '0');
    for (int i = digits - 1; i >= 0; --i, value >>= 4) out[i] = "0123456789abcdef"[value & 0xf];
    return out;
}

// The first offset where two byte strings differ (the shorter one's size if one is a prefix).
size_t first_difference(const std::string& a, const std::string& b) {
    return std::mismatch(a.begin(), a.begin() + std::min(a.size(), b.size()), b.begin()).first -
           a.begin();
}

::testing::AssertionResult same_bytes(const char* field, const std::string& sent,
                                      const std::string& got) {
    if (sent == got) return ::testing::AssertionSuccess();
    const size_t at = first_difference(sent, got);
    return ::testing::AssertionFailure()
           << field << " differs from what was appended: sent " << sent.size() << " bytes, read "
           << got.size() << " bytes, first difference at byte " << at << "; sent \""
           << printable(sent.substr(at)) << "\", read \"" << printable(got.substr(at)) << "\"";
}

Headers sorted(Headers headers) {
    std::sort(headers.begin(), headers.end());
    return headers;
}

}  // namespace

std::string new_event_id() {
    const uint64_t high = (random_bits() & ~0xf000ull) | 0x4000ull;  // version 4
    const uint64_t low = (random_bits() & ~(3ull << 62)) | (2ull << 62);  // RFC 4122 variant
    return hex(high >> 32, 8) + "-" + hex(high >> 16, 4) + "-" + hex(high, 4) + "-" +
           hex(low >> 48, 4) + "-" + hex(low, 12);
}

std::string new_namespace() { return "cf-" + hex(random_bits(), 8) + "-"; }

EventData make_event(const std::string& type, const std::string& payload) {
    EventData event;
    event.event_id = new_event_id();
    event.type_name = type;
    event.content_type = "application/octet-stream";
    event.payload = payload;
    return event;
}

std::vector<EventData> make_events(size_t count, const std::string& type) {
    std::vector<EventData> events;
    events.reserve(count);
    for (size_t i = 0; i < count; ++i) events.push_back(make_event(type, std::to_string(i)));
    return events;
}

std::vector<std::string> ids_of(const std::vector<EventData>& events) {
    std::vector<std::string> ids;
    for (const auto& event : events) ids.push_back(event.event_id);
    return ids;
}

std::vector<std::string> ids_of(const std::vector<RecordedEvent>& events) {
    std::vector<std::string> ids;
    for (const auto& event : events) ids.push_back(event.data.event_id);
    return ids;
}

std::vector<uint64_t> versions_of(const std::vector<RecordedEvent>& events) {
    std::vector<uint64_t> versions;
    for (const auto& event : events) versions.push_back(event.stream_version);
    return versions;
}

::testing::AssertionResult IsOk(const Status& status) { return HasCode(status, Code::ok); }

::testing::AssertionResult HasCode(const Status& status, Code code) {
    if (status.code() == code) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "expected " << code_name(code) << ", got " << code_name(status.code()) << " ("
           << static_cast<int>(status.code()) << ")"
           << (status.message().empty() ? "" : ": " + status.message());
}

::testing::AssertionResult SameData(const EventData& sent, const EventData& got) {
    const std::pair<const char*, const std::string EventData::*> fields[] = {
        {"event_id", &EventData::event_id},
        {"type_name", &EventData::type_name},
        {"content_type", &EventData::content_type},
        {"tenant_id", &EventData::tenant_id},
        {"correlation_id", &EventData::correlation_id},
        {"causation_id", &EventData::causation_id},
        {"payload", &EventData::payload},
    };
    for (const auto& [name, field] : fields) {
        if (auto same = same_bytes(name, sent.*field, got.*field); !same) return same;
    }
    const Headers sent_headers = sorted(sent.headers);
    const Headers got_headers = sorted(got.headers);
    for (const auto& [key, value] : sent_headers) {
        const auto found = std::find_if(got_headers.begin(), got_headers.end(),
                                        [&](const auto& header) { return header.first == key; });
        if (found == got_headers.end()) {
            return ::testing::AssertionFailure()
                   << "header \"" << printable(key) << "\" (value \"" << printable(value)
                   << "\") is missing: sent " << sent_headers.size() << " headers, read "
                   << got_headers.size();
        }
        if (auto same = same_bytes("a header value", value, found->second); !same) {
            return same << " (header \"" << printable(key) << "\")";
        }
    }
    if (sent_headers != got_headers) {
        return ::testing::AssertionFailure() << "headers differ: sent " << sent_headers.size()
                                             << ", read " << got_headers.size();
    }
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult SameIds(const std::vector<std::string>& expected,
                                   const std::vector<std::string>& actual) {
    if (expected == actual) return ::testing::AssertionSuccess();
    const size_t at =
        std::mismatch(expected.begin(), expected.begin() + std::min(expected.size(), actual.size()),
                      actual.begin())
            .first -
        expected.begin();
    auto failure = ::testing::AssertionFailure();
    failure << "expected " << expected.size() << " events, read " << actual.size()
            << "; they part at index " << at << ": expected ";
    failure << (at < expected.size() ? expected[at] : std::string("(nothing)")) << ", read ";
    failure << (at < actual.size() ? actual[at] : std::string("(nothing)"));
    return failure;
}

Result<std::vector<RecordedEvent>> read_whole_stream(Backend& backend, const std::string& stream_id) {
    std::vector<RecordedEvent> events;
    uint64_t from = 0;
    for (int read = 0; read < kPageLimit; ++read) {
        StreamPage page = backend.read_stream(stream_id, from, 0, true);
        if (!page.status.ok()) return page.status;
        events.insert(events.end(), page.events.begin(), page.events.end());
        if (page.end_of_stream) return events;
        if (page.events.empty() || page.next_from_version <= from) {
            return Status(Code::internal, "read_stream of " + stream_id + " from " +
                                              std::to_string(from) +
                                              " did not move forward and did not end");
        }
        from = page.next_from_version;
    }
    return Status(Code::internal, "read_stream of " + stream_id + " did not end after " +
                                      std::to_string(kPageLimit) + " pages (now from version " +
                                      std::to_string(from) + ")");
}

Result<std::vector<RecordedEvent>> read_all_with_prefix(Backend& backend, const std::string& prefix,
                                                        uint32_t page_size) {
    std::vector<RecordedEvent> events;
    uint64_t after = 0;
    for (int read = 0; read < kPageLimit; ++read) {
        AllPage page = backend.read_all(after, page_size, prefix);
        if (!page.status.ok()) return page.status;
        events.insert(events.end(), page.events.begin(), page.events.end());
        if (page.reached_head) return events;
        if (page.last_scanned_position <= after) {
            return Status(Code::internal, "read_all after " + std::to_string(after) +
                                              " did not move forward and did not reach the head");
        }
        after = page.last_scanned_position;
    }
    return Status(Code::internal, "read_all with prefix " + prefix +
                                      " did not reach the head after " +
                                      std::to_string(kPageLimit) + " pages (now after position " +
                                      std::to_string(after) + ")");
}

void run_threads(int threads, const std::function<void(int)>& body) {
    std::vector<std::jthread> running;
    running.reserve(threads);
    for (int i = 0; i < threads; ++i) running.emplace_back(body, i);
}

std::string printable(const std::string& bytes, size_t limit) {
    std::string out;
    for (size_t i = 0; i < bytes.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
            out += static_cast<char>(c);
        } else {
            char escaped[5];
            std::snprintf(escaped, sizeof(escaped), "\\x%02x", c);
            out += escaped;
        }
    }
    if (bytes.size() > limit) out += "...";
    return out;
}

}  // namespace eventstore::conformance
