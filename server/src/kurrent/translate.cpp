#include "kurrent/translate.hpp"

#include <limits>

#include <absl/strings/escaping.h>

#include "eventstore/abi_struct.hpp"
#include "eventstore/validation.hpp"

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

void show(const Shown& event, UuidForm form, client::streams::ReadResp::ReadEvent::RecordedEvent* out) {
    to_uuid(event.event_id, form, out->mutable_id());
    out->mutable_stream_identifier()->set_stream_name(std::string(event.stream_id));
    out->set_stream_revision(revision_of(event.version));
    out->set_prepare_position(event.global_position);
    out->set_commit_position(event.global_position);
    auto& metadata = *out->mutable_metadata();
    metadata[std::string(kTypeKey)] = std::string(event.type_name);
    metadata[std::string(kContentTypeKey)] =
        std::string(event.content_type.empty() ? kOctetStream : event.content_type);
    metadata[std::string(kCreatedKey)] = std::to_string(ticks_of(event.recorded_at_us));
    if (!event.custom_metadata_base64.empty()) {
        absl::Base64Unescape(absl::string_view(event.custom_metadata_base64.data(),
                                               event.custom_metadata_base64.size()),
                             out->mutable_custom_metadata());
    } else {
        out->set_custom_metadata(std::string(event.custom_metadata_text));
    }
    out->set_data(std::string(event.payload));
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

void to_recorded_event(const es_recorded_event& event, UuidForm form,
                       client::streams::ReadResp::ReadEvent::RecordedEvent* out) {
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
    show(shown, form, out);
}

void to_recorded_event(const v1::RecordedEvent& event, UuidForm form,
                       client::streams::ReadResp::ReadEvent::RecordedEvent* out) {
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
    show(shown, form, out);
}

}  // namespace eventstore::server::kurrent
