// translate.hpp: KurrentDB's event messages to ours and back, the one place for that translation
// (docs/kurrent-protocol.md, "The mapping"): a proposed message as an eventstore.v1 EventData, and
// a recorded event (from the backend or from an eventstore.v1 RecordedEvent) as KurrentDB's
// RecordedEvent; revisions, positions, UUIDs and .NET ticks.
//
// How an event keeps what KurrentDB gives it:
// - metadata["type"] is our type_name, metadata["content-type"] our content_type, kept verbatim
//   (KurrentDB itself keeps only "is it JSON"; we answer what the client sent). An event written
//   through eventstore.v1 without a content type reads as "application/octet-stream".
// - custom_metadata is kept byte for byte in one header of ours: kCustomMetadataHeader holds the
//   bytes as they are when they are valid UTF-8 (JSON, the common case: eventstore.v1 clients and
//   our SDKs read it as text), else kCustomMetadataBase64Header holds them in standard base64
//   (eventstore.v1 carries headers as proto strings, which must be UTF-8). Empty: no header.
//   Other headers, tenant_id, correlation_id and causation_id are not shown through KurrentDB's
//   protocol.
// - the event id is the UUID's canonical lowercase text; metadata["created"] is recorded_at in
//   .NET ticks.
#ifndef EVENTSTORE_SERVER_KURRENT_TRANSLATE_HPP
#define EVENTSTORE_SERVER_KURRENT_TRANSLATE_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eventstore/plugin.h"
#include "eventstore/status.hpp"
#include "eventstore/v1/eventstore.pb.h"
#include "kurrent/errors.hpp"
#include "shared.pb.h"
#include "streams.pb.h"

namespace eventstore::server::kurrent {

namespace client = event_store::client;

inline constexpr std::string_view kCustomMetadataHeader = "$kurrent.custom-metadata";
inline constexpr std::string_view kCustomMetadataBase64Header = "$kurrent.custom-metadata.base64";
inline constexpr std::string_view kTypeKey = "type";
inline constexpr std::string_view kContentTypeKey = "content-type";
inline constexpr std::string_view kCreatedKey = "created";

// KurrentDB's stream revision n is our stream version n + 1 (revisions count from 0).
inline uint64_t revision_of(uint64_t version) { return version - 1; }
inline uint64_t version_of(uint64_t revision) { return revision + 1; }

// Microseconds since 1970-01-01 UTC as KurrentDB's `created`: .NET ticks (100 ns) since the same
// epoch (KurrentDB's ToTicksSinceEpoch; the clients divide by 10^7 for seconds since 1970).
int64_t ticks_of(int64_t unix_us);

// How the client wants UUIDs back (ReadReq's uuid_option).
enum class UuidForm { structured, string };

// A UUID message as our canonical lowercase 8-4-4-4-12 text. The string form is read as .NET's
// Guid.Parse reads it (canonical, 32 digits, in braces or parentheses, either case); the
// structured form as KurrentDB's Uuid (most significant bits first). INVALID_ARGUMENT naming
// `field` for an unset or malformed UUID.
Result<std::string> uuid_text(const client::UUID& id, std::string_view field);
// Our canonical UUID text as a UUID message in `form` (text that is not canonical goes out as a
// string, whatever the form).
void to_uuid(std::string_view canonical, UuidForm form, client::UUID* out);

// A proposed message (AppendReq's or BatchAppendReq's) as an eventstore.v1 event; takes its data
// and custom metadata (the message is left without them). Or why it cannot be appended: the
// required metadata property it lacks ("type", "content-type"), or a bad request for its id.
// `index` names it in the message.
template <class Proposed>
std::optional<Refusal> take_event(Proposed& message, int index, v1::EventData* out);

// A recorded event as KurrentDB's: the serialized ReadResp that holds it (ReadResp.event, its
// RecordedEvent and commit position), from the backend's memory or from an eventstore.v1
// message. Written straight in protobuf's wire format (wire_writer.hpp): a subscription sends
// one event a message, and filling, measuring and destroying a message object per event was a
// large share of its CPU.
std::string read_event_message(const es_recorded_event& event, UuidForm form);
std::string read_event_message(const v1::RecordedEvent& event, UuidForm form);

// A client's expected state of the stream, as KurrentDB's requests give it.
struct ExpectedRevision {
    enum class Kind { revision, no_stream, any, stream_exists };
    Kind kind = Kind::any;
    uint64_t revision = 0;  // for Kind::revision
};

// The expected_stream_revision oneof of AppendReq, DeleteReq or TombstoneReq options; nothing for
// an unset or unknown case (a bad request: KurrentDB refuses it too).
template <class Options>
std::optional<ExpectedRevision> expected_of(const Options& options) {
    using Kind = ExpectedRevision::Kind;
    switch (options.expected_stream_revision_case()) {
    case Options::kRevision: return ExpectedRevision{Kind::revision, options.revision()};
    case Options::kNoStream: return ExpectedRevision{Kind::no_stream, 0};
    case Options::kAny: return ExpectedRevision{Kind::any, 0};
    case Options::kStreamExists: return ExpectedRevision{Kind::stream_exists, 0};
    default: return std::nullopt;
    }
}

// An expected revision as eventstore.v1's expected version (revision n: exact n + 1);
// INVALID_ARGUMENT for a revision past the largest KurrentDB has (2^63 - 2).
Status to_expected_version(const ExpectedRevision& expected, v1::ExpectedVersion* out);

// The stream of a StreamIdentifier (its bytes as our stream id).
inline const std::string& stream_of(const client::StreamIdentifier& id) { return id.stream_name(); }

// UNIMPLEMENTED for a name KurrentDB reserves: '$' first, its system streams ($ce-, $et-,
// $streams, $settings, ...) and `$$` stream metadata, which eventstored does not have (a `$$`
// append that succeeded would tell the client its $maxCount or ACL was set); OK for any other.
Status check_not_system_stream(const std::string& stream);

// --- the non-template part of take_event ---
std::optional<Refusal> take_event(const client::UUID& id,
                                        const google::protobuf::Map<std::string, std::string>& metadata,
                                        std::string& custom_metadata, std::string& data, int index,
                                        v1::EventData* out);

template <class Proposed>
std::optional<Refusal> take_event(Proposed& message, int index, v1::EventData* out) {
    return take_event(message.id(), message.metadata(), *message.mutable_custom_metadata(),
                      *message.mutable_data(), index, out);
}

}  // namespace eventstore::server::kurrent

#endif
