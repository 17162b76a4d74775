// wire_writer.hpp: protobuf's wire format written by hand, for the one message the server sends
// most (a subscription's ReadResp.event, translate.hpp): the fields in order into one string,
// with no message object to fill, measure and destroy. Sizes first (the *_size functions), then
// the bytes (WireWriter) into a string of that size, so each nested message's length is known
// before its fields and nothing grows.
#ifndef EVENTSTORE_SERVER_KURRENT_WIRE_WRITER_HPP
#define EVENTSTORE_SERVER_KURRENT_WIRE_WRITER_HPP

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace eventstore::server::kurrent::wire {

inline size_t varint_size(uint64_t value) {
    size_t size = 1;
    while (value >= 0x80) {
        value >>= 7;
        ++size;
    }
    return size;
}

// A field holding a varint (an int64 as its two's complement, as protobuf writes it).
inline size_t varint_field_size(uint64_t value) { return 1 + varint_size(value); }
// A field holding `length` bytes: a string, bytes or a nested message. Fields 1 to 15 only.
inline size_t bytes_field_size(size_t length) { return 1 + varint_size(length) + length; }

// Writes into memory already sized for what is written (the sizes above).
class WireWriter {
public:
    explicit WireWriter(char* out) : out_(out) {}

    void varint(uint64_t value) {
        while (value >= 0x80) {
            *out_++ = static_cast<char>((value & 0x7f) | 0x80);
            value >>= 7;
        }
        *out_++ = static_cast<char>(value);
    }
    void varint_field(int field, uint64_t value) {
        *out_++ = static_cast<char>(field << 3);
        varint(value);
    }
    // The tag and length of a nested message or bytes field, whose `length` bytes follow.
    void open(int field, size_t length) {
        *out_++ = static_cast<char>((field << 3) | 2);
        varint(length);
    }
    void bytes_field(int field, std::string_view bytes) {
        open(field, bytes.size());
        out_ = std::copy(bytes.begin(), bytes.end(), out_);
    }
    // Where the next byte goes.
    const char* end() const { return out_; }

private:
    char* out_;
};

}  // namespace eventstore::server::kurrent::wire

#endif
