// support.hpp: what every check file shares: event builders, assertions that name status codes
// and the first differing byte, read helpers that page through a whole stream or namespace, and
// a thread runner. Nothing here knows which path (ABI or gRPC) it runs over.
#ifndef EVENTSTORE_CONFORMANCE_SUPPORT_HPP
#define EVENTSTORE_CONFORMANCE_SUPPORT_HPP

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "backend.hpp"

namespace eventstore::conformance {

// A fresh random UUID in the canonical lower-case 8-4-4-4-12 form. Thread-safe.
std::string new_event_id();
// A fresh stream-id namespace, "cf-<8 hex>-": every check writes only below its own, so a
// plugin backed by a shared database (or a shared server) can be certified too.
std::string new_namespace();

// An event with a fresh id, the given type and payload, content type "application/octet-stream"
// and nothing else.
EventData make_event(const std::string& type = "Happened", const std::string& payload = "");
// `count` such events; payloads "0", "1", ...
std::vector<EventData> make_events(size_t count, const std::string& type = "Happened");

std::vector<std::string> ids_of(const std::vector<EventData>& events);
std::vector<std::string> ids_of(const std::vector<RecordedEvent>& events);
std::vector<uint64_t> versions_of(const std::vector<RecordedEvent>& events);

// Success when `status` is OK / has `code`; the failure message names both codes as gRPC spells
// them (a backend answering UNIMPLEMENTED is told so) and the backend's message.
::testing::AssertionResult IsOk(const Status& status);
::testing::AssertionResult HasCode(const Status& status, Code code);

// Success when `got` carries exactly what `sent` did; otherwise names the first field that
// differs and, for bytes, the first differing offset. Headers compare as a map.
::testing::AssertionResult SameData(const EventData& sent, const EventData& got);

// Success when the two id lists are equal; otherwise shows where they part.
::testing::AssertionResult SameIds(const std::vector<std::string>& expected,
                                   const std::vector<std::string>& actual);

// The most pages the two readers below read before they report that the reading did not end:
// far more than any check writes, so only a plugin whose pages never end reaches it.
constexpr int kPageLimit = 100000;

// Every event of a stream, forward, page by page (max_count 0: the default page). A failed read,
// a page that does not move forward, or kPageLimit pages without the end is the Status.
Result<std::vector<RecordedEvent>> read_whole_stream(Backend& backend, const std::string& stream_id);
// Every event whose stream id starts with `prefix`, page by page until reached_head (at most
// kPageLimit pages).
Result<std::vector<RecordedEvent>> read_all_with_prefix(Backend& backend, const std::string& prefix,
                                                        uint32_t page_size = 0);

// Runs body(0..threads-1) on that many threads and joins them all.
void run_threads(int threads, const std::function<void(int)>& body);

// Printable form of bytes: printable ASCII as is, the rest as \xNN, cut after `limit` bytes.
std::string printable(const std::string& bytes, size_t limit = 48);

}  // namespace eventstore::conformance

#endif
