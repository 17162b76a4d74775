// eventstore/header_codec.hpp: a stored form of an event's headers, one byte string, for backends
// that keep the headers of an event in one column (postgres' bytea, sqlite's blob).
//
// For each header, in the order given: the key's length as 4 bytes big-endian, the key's bytes,
// the value's length as 4 bytes big-endian, the value's bytes. No headers: no bytes. Any bytes
// round-trip (empty keys and values, NUL bytes), and the order is kept. C++17, header-only.
#ifndef EVENTSTORE_HEADER_CODEC_HPP
#define EVENTSTORE_HEADER_CODEC_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/plugin.h"

namespace eventstore::plugin {

namespace header_codec_detail {

inline void put_field(es_bytes field, std::string& out) {
    const auto n = static_cast<uint32_t>(field.len);
    const char length[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                            static_cast<char>(n >> 8), static_cast<char>(n)};
    out.append(length, 4);
    if (field.len != 0) out.append(reinterpret_cast<const char*>(field.ptr), field.len);
}

// Reads one length-prefixed field at `at`, moving `at` past it.
inline bool take_field(std::string_view stored, size_t& at, es_bytes& field) {
    if (stored.size() - at < 4) return false;
    const auto* p = reinterpret_cast<const unsigned char*>(stored.data() + at);
    const size_t length = (size_t{p[0]} << 24) | (size_t{p[1]} << 16) | (size_t{p[2]} << 8) | p[3];
    at += 4;
    if (stored.size() - at < length) return false;
    field = es_bytes{reinterpret_cast<const uint8_t*>(stored.data() + at), length};
    at += length;
    return true;
}

}  // namespace header_codec_detail

// Appends the encoding of `headers` to `out`.
inline void encode_headers(const es_key_value* headers, size_t count, std::string& out) {
    for (size_t i = 0; i < count; ++i) {
        header_codec_detail::put_field(headers[i].key, out);
        header_codec_detail::put_field(headers[i].value, out);
    }
}

// Replaces `out` with the headers in `stored`; each key and value points into `stored`. False
// when `stored` is not a valid encoding.
inline bool decode_headers(std::string_view stored, std::vector<es_key_value>& out) {
    out.clear();
    size_t at = 0;
    while (at < stored.size()) {
        es_key_value header{};
        if (!header_codec_detail::take_field(stored, at, header.key) ||
            !header_codec_detail::take_field(stored, at, header.value)) {
            return false;
        }
        out.push_back(header);
    }
    return true;
}

}  // namespace eventstore::plugin

#endif
