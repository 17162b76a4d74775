// fuzz_input.hpp: how the fuzz targets read their input. An input is a sequence of operations,
// each one byte of kind, two bytes of length (little-endian) and that many bytes of body; a
// ByteReader takes numbers and strings from the front of a body and yields zeros past its end.
// The seed corpus is written in this format (tests/fuzz/make_seeds.sh).
#ifndef EVENTSTORE_TESTS_FUZZ_INPUT_HPP
#define EVENTSTORE_TESTS_FUZZ_INPUT_HPP

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace eventstore::fuzz {

struct Operation {
    uint8_t kind;
    std::string_view body;
};

class Operations {
public:
    Operations(const uint8_t* data, size_t size)
        : rest_(reinterpret_cast<const char*>(data), size) {}

    // The next whole operation; false at the end (a truncated last one is dropped).
    bool next(Operation& operation) {
        if (rest_.size() < 3) return false;
        const size_t length = static_cast<uint8_t>(rest_[1]) | static_cast<uint8_t>(rest_[2]) << 8;
        if (rest_.size() < 3 + length) return false;
        operation = {static_cast<uint8_t>(rest_[0]), rest_.substr(3, length)};
        rest_.remove_prefix(3 + length);
        return true;
    }

private:
    std::string_view rest_;
};

class ByteReader {
public:
    explicit ByteReader(std::string_view body) : rest_(body) {}

    template <class Integer>
    Integer number() {
        Integer value{};
        const size_t n = std::min(sizeof(value), rest_.size());
        std::memcpy(&value, rest_.data(), n);
        rest_.remove_prefix(n);
        return value;
    }
    // A string whose length (one byte, at most `max`) comes first.
    std::string_view string(size_t max = 255) {
        const size_t length = std::min<size_t>({number<uint8_t>(), max, rest_.size()});
        const std::string_view text = rest_.substr(0, length);
        rest_.remove_prefix(length);
        return text;
    }
    bool empty() const { return rest_.empty(); }

private:
    std::string_view rest_;
};

// A broken invariant: a crash for the fuzzer, with the reason printed.
[[noreturn]] inline void violated(const char* what) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
}

inline void require(bool condition, const char* what) {
    if (!condition) violated(what);
}

}  // namespace eventstore::fuzz

#endif
