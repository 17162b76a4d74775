// eventstore/abi_struct.hpp: the growth and buffer rules of plugin.h, written once for both sides
// (the host's loader and the C++ plugin helper). C++17, header-only.
#ifndef EVENTSTORE_ABI_STRUCT_HPP
#define EVENTSTORE_ABI_STRUCT_HPP

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::abi {

inline std::string_view view(es_bytes bytes) {
    return bytes.len == 0 ? std::string_view()
                          : std::string_view(reinterpret_cast<const char*>(bytes.ptr), bytes.len);
}

inline es_bytes bytes(std::string_view text) {
    return es_bytes{reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// Reads a struct that another build filled: a smaller one is completed with zeros, a larger one
// is accepted only when every byte this build does not know is zero. `what` names the struct;
// `known` is how much of it this build knows (less than sizeof(T) for a plugin that speaks an
// older minor, which knew the struct before it grew).
template <class T>
Result<T> read_struct(const T* in, const char* what, size_t known = sizeof(T)) {
    if (in == nullptr) return Status(Code::invalid_argument, std::string(what) + " is NULL");
    T out{};
    const size_t size = in->struct_size;
    if (size < sizeof(uint32_t)) {
        return Status(Code::invalid_argument,
                      std::string(what) + ".struct_size " + std::to_string(size) + " is too small");
    }
    if (size > known) {
        const auto* raw = reinterpret_cast<const unsigned char*>(in);
        const bool unknown_set =
            std::any_of(raw + known, raw + size, [](unsigned char b) { return b != 0; });
        if (unknown_set) {
            return Status(Code::invalid_argument,
                          std::string(what) + " is " + std::to_string(size) +
                              " bytes with non-zero fields beyond the " + std::to_string(known) +
                              " bytes this build knows");
        }
    }
    std::memcpy(&out, in, std::min(size, known));
    out.struct_size = static_cast<uint32_t>(sizeof(T));
    return out;
}

// Whether a request struct ends with owner_tenant (ABI 1.3: append and read_stream).
template <class Request, class = void>
struct HasOwnerTenant : std::false_type {};
template <class Request>
struct HasOwnerTenant<Request, std::void_t<decltype(Request::owner_tenant)>> : std::true_type {};

// The size of a request struct (append, read_stream, read_all) as ABI minor `minor` knew it:
// before 1.2 without timeout_us, before 1.3 without owner_tenant.
template <class Request>
constexpr size_t request_size_at_minor(uint32_t minor) {
    if (minor < 2) return offsetof(Request, timeout_us);
    if constexpr (HasOwnerTenant<Request>::value) {
        if (minor < 3) return offsetof(Request, owner_tenant);
    }
    return sizeof(Request);
}

// Writes `value` into a struct the other side owns, no further than its struct_size.
template <class T>
void write_struct(T* out, const T& value) {
    const uint32_t size = out->struct_size;
    std::memcpy(out, &value, std::min<size_t>(size, sizeof(T)));
    out->struct_size = size;
}

// Makes a struct of this build, zeroed, with struct_size set.
template <class T>
T make_struct() {
    T value{};
    value.struct_size = static_cast<uint32_t>(sizeof(T));
    return value;
}

// Copies a message into an es_error, truncated to fit, NUL-terminated.
inline void write_error(es_error* err, std::string_view message) {
    if (err == nullptr || err->struct_size <= offsetof(es_error, message)) return;
    const size_t capacity = std::min<size_t>(err->struct_size - offsetof(es_error, message),
                                             ES_ERROR_MESSAGE_CAPACITY);
    const size_t n = std::min(message.size(), capacity - 1);
    std::memcpy(err->message, message.data(), n);
    err->message[n] = '\0';
}

// Reads the message of an es_error the other side may have left without a terminator.
inline std::string read_error(const es_error& err) {
    return std::string(err.message, strnlen(err.message, sizeof(err.message)));
}

}  // namespace eventstore::abi

#endif
