#include "header_codec.hpp"

#include <cstdint>

namespace eventstore::postgres {

namespace {

void put_length(size_t length, std::string& out) {
    const auto n = static_cast<uint32_t>(length);
    const char bytes[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                           static_cast<char>(n >> 8), static_cast<char>(n)};
    out.append(bytes, 4);
}

// Reads one length-prefixed field at `at`, moving `at` past it.
bool take_field(std::string_view stored, size_t& at, es_bytes& field) {
    if (stored.size() - at < 4) return false;
    const auto* p = reinterpret_cast<const unsigned char*>(stored.data() + at);
    const size_t length = (size_t{p[0]} << 24) | (size_t{p[1]} << 16) | (size_t{p[2]} << 8) | p[3];
    at += 4;
    if (stored.size() - at < length) return false;
    field = es_bytes{reinterpret_cast<const uint8_t*>(stored.data() + at), length};
    at += length;
    return true;
}

void put_field(es_bytes field, std::string& out) {
    put_length(field.len, out);
    if (field.len != 0) out.append(reinterpret_cast<const char*>(field.ptr), field.len);
}

}  // namespace

void encode_headers(const es_key_value* headers, size_t count, std::string& out) {
    for (size_t i = 0; i < count; ++i) {
        put_field(headers[i].key, out);
        put_field(headers[i].value, out);
    }
}

bool decode_headers(std::string_view stored, std::vector<es_key_value>& out) {
    out.clear();
    size_t at = 0;
    while (at < stored.size()) {
        es_key_value header{};
        if (!take_field(stored, at, header.key) || !take_field(stored, at, header.value)) {
            return false;
        }
        out.push_back(header);
    }
    return true;
}

}  // namespace eventstore::postgres
