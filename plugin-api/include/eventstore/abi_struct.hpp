// eventstore/abi_struct.hpp: the growth and buffer rules of plugin.h for C++, on both sides (the
// host's loader and the C++ plugin helper). The rules themselves are the C helper's
// (eventstore/plugin_util.h), written once for C and C++. C++17, header-only.
#ifndef EVENTSTORE_ABI_STRUCT_HPP
#define EVENTSTORE_ABI_STRUCT_HPP

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "eventstore/plugin.h"
#include "eventstore/plugin_util.h"
#include "eventstore/status.hpp"

namespace eventstore::abi {

inline std::string_view view(es_bytes bytes) {
    return bytes.len == 0 ? std::string_view()
                          : std::string_view(reinterpret_cast<const char*>(bytes.ptr), bytes.len);
}

inline es_bytes bytes(std::string_view text) {
    return es_bytes{reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// Makes a struct of this build, zeroed, with struct_size set.
template <class T>
T make_struct() {
    T value{};
    value.struct_size = static_cast<uint32_t>(sizeof(T));
    return value;
}

// Reads the message of an es_error the other side may have left without a terminator.
inline std::string read_error(const es_error& err) {
    return std::string(err.message, strnlen(err.message, sizeof(err.message)));
}

// The Status of a C helper's call that returned `status` and wrote `err`.
inline Status status_of(es_status status, const es_error& err) {
    return status == ES_OK ? Status() : Status(static_cast<Code>(status), read_error(err));
}

// Reads a struct that another build filled: a smaller one is completed with zeros, a larger one
// is accepted only when every byte this build does not know is zero (es_util_read_struct).
// `what` names the struct; `known` is how much of it this build knows (less than sizeof(T) for a
// plugin that speaks an older minor, which knew the struct before it grew).
template <class T>
Result<T> read_struct(const T* in, const char* what, size_t known = sizeof(T)) {
    static_assert(std::is_trivially_copyable_v<T>, "ABI structs are plain C structs");
    T out{};
    es_error err = make_struct<es_error>();
    const es_status status = es_util_read_struct(in, &out, sizeof(T), known, what, &err);
    if (status != ES_OK) return status_of(status, err);
    return out;
}

// The size of a request struct (append, read_stream, read_all) as ABI minor `minor` knew it
// (es_util_*_request_size): before 1.2 without timeout_us, before 1.3 without owner_tenant.
template <class Request>
size_t request_size_at_minor(uint32_t minor) {
    if constexpr (std::is_same_v<Request, es_append_request>) {
        return es_util_append_request_size(minor);
    } else if constexpr (std::is_same_v<Request, es_read_stream_request>) {
        return es_util_read_stream_request_size(minor);
    } else if constexpr (std::is_same_v<Request, es_stream_change_request>) {
        return es_util_stream_change_request_size(minor);
    } else if constexpr (std::is_same_v<Request, es_stream_state_request>) {
        return es_util_stream_state_request_size(minor);
    } else {
        static_assert(std::is_same_v<Request, es_read_all_request>, "not a request struct");
        return es_util_read_all_request_size(minor);
    }
}

// Writes `value` into a struct the other side owns, no further than its struct_size.
template <class T>
void write_struct(T* out, const T& value) {
    es_util_write_struct(out, &value, sizeof(T));
}

// Copies a message into an es_error, truncated to fit, NUL-terminated.
inline void write_error(es_error* err, std::string_view message) {
    es_util_write_error(err, message.data(), message.size());
}

}  // namespace eventstore::abi

#endif
