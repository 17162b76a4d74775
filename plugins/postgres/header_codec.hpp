// header_codec.hpp: the stored form of an event's headers (the events.headers bytea column).
//
// For each header, in the order given: the key's length as 4 bytes big-endian, the key's bytes,
// the value's length as 4 bytes big-endian, the value's bytes. No headers: no bytes. Any bytes
// round-trip (empty keys and values, NUL bytes), and the order is kept.
#ifndef EVENTSTORE_PLUGINS_POSTGRES_HEADER_CODEC_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_HEADER_CODEC_HPP

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/plugin.h"

namespace eventstore::postgres {

// Appends the encoding of `headers` to `out`.
void encode_headers(const es_key_value* headers, size_t count, std::string& out);

// Replaces `out` with the headers in `stored`; each key and value points into `stored`. False
// when `stored` is not a valid encoding.
bool decode_headers(std::string_view stored, std::vector<es_key_value>& out);

}  // namespace eventstore::postgres

#endif
