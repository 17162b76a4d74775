#include "kurrent/translate.hpp"

#include <cassert>
#include <limits>

#include <absl/strings/escaping.h>

#include "eventstore/abi_struct.hpp"
#include "eventstore/validation.hpp"
#include "kurrent/wire_writer.hpp"

namespace eventstore::server::kurrent {

namespace {

constexpr int64_t kTicksPerMicrosecond = 10;
constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kOctetStream = "application/octet-stream";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// 32 hexadecimal digits, lowercase, as the canonical 8-4-4-4-12 text.
std::string canonical_of(std::string_view digits) {
    std::string out;
    out.reserve(36);
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20) out.push_back('-');
        out.push_back(kHex[hex_value(digits[i])]);
    }
    return out;
}

// The 32 digits of a UUID string in a form .NET's Guid.Parse reads (D, N, B, P); empty when it is
// none of them.
std::string digits_of(std::string_view text) {
    if (text.size() >= 2 && ((text.front() == '{' && text.back() == '}') ||
                             (text.front() == '(' && text.back() == ')'))) {
        text = text.substr(1, text.size() - 2);
    }
    if (text.size() == 36 && !validation::is_canonical_uuid(text)) return {};
    if (text.size() != 36 && text.size() != 32) return {};
    std::string digits;
    for (const char c : text) {
        if (c == '-' && text.size() == 36) continue;
        if (hex_value(c) < 0) return {};
        digits.push_back(c);
    }
    return digits;
}

std::string digits_of(uint64_t most, uint64_t least) {
    std::string digits(32, '0');
    for (int i = 0; i < 16; ++i) {
        digits[15 - i] = kHex[(most >> (4 * i)) & 0xf];
        digits[31 - i] = kHex[(least >> (4 * i)) & 0xf];
    }
    return digits;
}

uint64_t bits_of(std::string_view digits) {
    uint64_t bits = 0;
    for (const char c : digits) bits = (bits << 4) | static_cast<uint64_t>(hex_value(c));
    return bits;
}

bool is_utf8(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        size_t extra = 0;
        uint32_t code = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            extra = 1;
            code = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            extra = 2;
            code = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            extra = 3;
            code = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= text.size()) return false;
        for (size_t k = 1; k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xc0) != 0x80) return false;
            code = (code << 6) | (next & 0x3f);
        }
        // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
        if ((extra == 2 && (code < 0x800 || (code >= 0xd800 && code <= 0xdfff))) ||
            (extra == 3 && (code < 0x10000 || code > 0x10ffff))) {
            return false;
        }
        i += extra + 1;
    }
    return true;
}

// What KurrentDB's RecordedEvent shows of one of our events, wherever it was read from.
struct Shown {
    std::string_view stream_id, event_id, type_name, content_type, payload;
    std::string_view custom_metadata_text, custom_metadata_base64;
    uint64_t version = 0, global_position = 0;
    int64_t recorded_at_us = 0;

    void header(std::string_view key, std::string_view value) {
        if (key == kCustomMetadataHeader) custom_metadata_text = value;
        if (key == kCustomMetadataBase64Header) custom_metadata_base64 = value;
    }
};

// The size of a map<string, string> entry's message.
size_t entry_size(std::string_view key, std::string_view value) {
    return wire::bytes_field_size(key.size()) + wire::bytes_field_size(value.size());
}

// ReadResp { event = 1: ReadEvent { event = 1: RecordedEvent, commit_position = 3 } }, in
// protobuf's wire format (streams.proto's field numbers; a proto3 zero is left out, as protobuf
// leaves it, except the oneof's commit_position).
std::string read_event_wire(const Shown& event, UuidForm form) {
    using wire::bytes_field_size;
    using wire::varint_field_size;
    // RecordedEvent.id, a UUID: structured = 1 (two int64 halves), or string = 2.
    const bool structured =
        form == UuidForm::structured && validation::is_canonical_uuid(event.event_id);
    uint64_t most = 0, least = 0;
    size_t uuid_size = bytes_field_size(event.event_id.size());
    size_t halves_size = 0;
    if (structured) {
        const std::string digits = digits_of(event.event_id);
        most = bits_of(std::string_view(digits).substr(0, 16));
        least = bits_of(std::string_view(digits).substr(16));
        halves_size = (most != 0 ? varint_field_size(most) : 0) +
                      (least != 0 ? varint_field_size(least) : 0);
        uuid_size = bytes_field_size(halves_size);
    }
    const std::string_view content_type =
        event.content_type.empty() ? kOctetStream : event.content_type;
    const std::string created = std::to_string(ticks_of(event.recorded_at_us));
    std::string decoded;
    std::string_view custom_metadata = event.custom_metadata_text;
    if (!event.custom_metadata_base64.empty()) {
        absl::Base64Unescape(absl::string_view(event.custom_metadata_base64.data(),
                                               event.custom_metadata_base64.size()),
                             &decoded);
        custom_metadata = decoded;
    }
    const uint64_t revision = revision_of(event.version);
    const uint64_t position = event.global_position;
    const size_t stream_size = bytes_field_size(event.stream_id.size());
    const size_t recorded_size =
        bytes_field_size(uuid_size) + bytes_field_size(stream_size) +
        (revision != 0 ? varint_field_size(revision) : 0) +
        (position != 0 ? 2 * varint_field_size(position) : 0) +
        bytes_field_size(entry_size(kTypeKey, event.type_name)) +
        bytes_field_size(entry_size(kContentTypeKey, content_type)) +
        bytes_field_size(entry_size(kCreatedKey, created)) +
        (custom_metadata.empty() ? 0 : bytes_field_size(custom_metadata.size())) +
        (event.payload.empty() ? 0 : bytes_field_size(event.payload.size()));
    const size_t read_event_size = bytes_field_size(recorded_size) + varint_field_size(position);

    std::string out(bytes_field_size(read_event_size), '\0');
    wire::WireWriter w(out.data());
    w.open(1, read_event_size);  // ReadResp.event
    w.open(1, recorded_size);    // ReadEvent.event
    w.open(1, uuid_size);        // RecordedEvent.id
    if (structured) {
        w.open(1, halves_size);  // UUID.structured
        if (most != 0) w.varint_field(1, most);
        if (least != 0) w.varint_field(2, least);
    } else {
        w.bytes_field(2, event.event_id);  // UUID.string
    }
    w.open(2, stream_size);  // RecordedEvent.stream_identifier
    w.bytes_field(3, event.stream_id);
    if (revision != 0) w.varint_field(3, revision);
    if (position != 0) {
        w.varint_field(4, position);  // prepare_position
        w.varint_field(5, position);  // commit_position
    }
    for (const auto& [key, value] : {std::pair<std::string_view, std::string_view>{kTypeKey, event.type_name},
                                     {kContentTypeKey, content_type},
                                     {kCreatedKey, created}}) {
        w.open(6, entry_size(key, value));  // a metadata entry
        w.bytes_field(1, key);
        w.bytes_field(2, value);
    }
    if (!custom_metadata.empty()) w.bytes_field(7, custom_metadata);
    if (!event.payload.empty()) w.bytes_field(8, event.payload);
    w.varint_field(3, position);  // ReadEvent.commit_position
    assert(w.end() == out.data() + out.size());
    return out;
}

}  // namespace

int64_t ticks_of(int64_t unix_us) { return unix_us * kTicksPerMicrosecond; }

Result<std::string> uuid_text(const client::UUID& id, std::string_view field) {
    switch (id.value_case()) {
    case client::UUID::kStructured:
        return canonical_of(digits_of(static_cast<uint64_t>(id.structured().most_significant_bits()),
                                      static_cast<uint64_t>(id.structured().least_significant_bits())));
    case client::UUID::kString: {
        const std::string digits = digits_of(id.string());
        if (digits.empty()) {
            return Status(Code::invalid_argument,
                          std::string(field) + " '" + id.string().substr(0, 64) + "' is not a UUID");
        }
        return canonical_of(digits);
    }
    case client::UUID::VALUE_NOT_SET: break;
    }
    return Status(Code::invalid_argument, std::string(field) + " must be set (a UUID)");
}

void to_uuid(std::string_view canonical, UuidForm form, client::UUID* out) {
    if (form == UuidForm::string || !validation::is_canonical_uuid(canonical)) {
        out->set_string(std::string(canonical));
        return;
    }
    std::string digits;
    for (const char c : canonical) {
        if (c != '-') digits.push_back(c);
    }
    out->mutable_structured()->set_most_significant_bits(
        static_cast<int64_t>(bits_of(std::string_view(digits).substr(0, 16))));
    out->mutable_structured()->set_least_significant_bits(
        static_cast<int64_t>(bits_of(std::string_view(digits).substr(16))));
}

Status check_not_system_stream(const std::string& stream) {
    if (!stream.starts_with('$')) return {};
    const bool metadata = stream.starts_with("$$");
    return Status(Code::unimplemented,
                  "stream '" + stream.substr(0, 200) + "': " +
                      (metadata ? "stream metadata ($$ streams: $maxCount, $maxAge, $tb, $acl) is not "
                                  "supported; set retention with eventstore.v1's SetStreamRetention "
                                  "or TruncateStream"
                                : "names starting with '$' are KurrentDB's system streams, which "
                                  "eventstored does not have") +
                      " (docs/kurrent-protocol.md)");
}

Status to_expected_version(const ExpectedRevision& expected, v1::ExpectedVersion* out) {
    switch (expected.kind) {
    case ExpectedRevision::Kind::revision:
        if (expected.revision >= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - 1) {
            return Status(Code::invalid_argument, "expected revision " +
                                                      std::to_string(expected.revision) +
                                                      " is out of range");
        }
        out->set_exact(version_of(expected.revision));
        break;
    case ExpectedRevision::Kind::no_stream: out->mutable_no_stream(); break;
    case ExpectedRevision::Kind::any: out->mutable_any(); break;
    case ExpectedRevision::Kind::stream_exists: out->mutable_stream_exists(); break;
    }
    return {};
}

std::optional<Refusal> take_event(const client::UUID& id,
                                        const google::protobuf::Map<std::string, std::string>& metadata,
                                        std::string& custom_metadata, std::string& data, int index,
                                        v1::EventData* out) {
    for (const std::string_view key : {kTypeKey, kContentTypeKey}) {
        if (metadata.find(std::string(key)) == metadata.end()) {
            Refusal missing;
            missing.kind = Refusal::Kind::missing_required_metadata;
            missing.text = std::string(key);
            return missing;
        }
    }
    auto event_id = uuid_text(id, "proposed_message[" + std::to_string(index) + "].id");
    if (!event_id.ok()) {
        Refusal bad;
        bad.kind = Refusal::Kind::bad_request;
        bad.text = event_id.status().message();
        return bad;
    }
    v1::EventMetadata* meta = out->mutable_metadata();
    meta->set_event_id(std::move(event_id.value()));
    meta->set_type_name(metadata.at(std::string(kTypeKey)));
    meta->set_content_type(metadata.at(std::string(kContentTypeKey)));
    if (!custom_metadata.empty()) {
        auto& headers = *meta->mutable_headers();
        if (is_utf8(custom_metadata)) {
            headers[std::string(kCustomMetadataHeader)] = std::move(custom_metadata);
        } else {
            headers[std::string(kCustomMetadataBase64Header)] = absl::Base64Escape(custom_metadata);
        }
    }
    out->mutable_payload()->swap(data);
    return std::nullopt;
}

std::string read_event_message(const es_recorded_event& event, UuidForm form) {
    Shown shown;
    shown.stream_id = abi::view(event.stream_id);
    shown.event_id = abi::view(event.event_id);
    shown.type_name = abi::view(event.type_name);
    shown.content_type = abi::view(event.content_type);
    shown.payload = abi::view(event.payload);
    shown.version = event.stream_version;
    shown.global_position = event.global_position;
    shown.recorded_at_us = event.recorded_at_us;
    for (size_t h = 0; h < event.header_count; ++h) {
        shown.header(abi::view(event.headers[h].key), abi::view(event.headers[h].value));
    }
    return read_event_wire(shown, form);
}

std::string read_event_message(const v1::RecordedEvent& event, UuidForm form) {
    Shown shown;
    shown.stream_id = event.stream_id();
    shown.event_id = event.metadata().event_id();
    shown.type_name = event.metadata().type_name();
    shown.content_type = event.metadata().content_type();
    shown.payload = event.payload();
    shown.version = event.stream_version();
    shown.global_position = event.global_position();
    shown.recorded_at_us = event.recorded_at().seconds() * 1'000'000 + event.recorded_at().nanos() / 1000;
    for (const auto& [key, value] : event.metadata().headers()) shown.header(key, value);
    return read_event_wire(shown, form);
}

}  // namespace eventstore::server::kurrent
