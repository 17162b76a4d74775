// eventstore/status.hpp: the Status and Result<T> value types shared by the host, the loader and
// the C++ plugin helper. No exceptions cross a boundary: code that can fail returns one of these.
// C++17, header-only.
#ifndef EVENTSTORE_STATUS_HPP
#define EVENTSTORE_STATUS_HPP

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "eventstore/plugin.h"

namespace eventstore {

// Numbers equal es_status and gRPC status codes. `unauthenticated` is the host's alone: the ABI has
// no such status (a backend never sees a token), and the loader reports a plugin that returns 16
// as INTERNAL, like any number the ABI does not define.
enum class Code : int32_t {
    ok = ES_OK,
    cancelled = ES_CANCELLED,
    invalid_argument = ES_INVALID_ARGUMENT,
    deadline_exceeded = ES_DEADLINE_EXCEEDED,
    not_found = ES_NOT_FOUND,
    already_exists = ES_ALREADY_EXISTS,
    permission_denied = ES_PERMISSION_DENIED,
    resource_exhausted = ES_RESOURCE_EXHAUSTED,
    failed_precondition = ES_FAILED_PRECONDITION,
    unimplemented = ES_UNIMPLEMENTED,
    internal = ES_INTERNAL,
    unavailable = ES_UNAVAILABLE,
    unauthenticated = 16,
};

// The outcome of an operation: ok, or a code with a message for a person. [[nodiscard]]: a
// dropped Status is a failure nobody hears of; where dropping one is right, say why.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

    bool ok() const { return code_ == Code::ok; }
    Code code() const { return code_; }
    const std::string& message() const { return message_; }

private:
    Code code_ = Code::ok;
    std::string message_;
};

// A value, or the Status that explains why there is none. [[nodiscard]] like Status.
template <class T>
class [[nodiscard]] Result {
public:
    // Anything a T can be made from: a T, or e.g. a unique_ptr<Derived> for a unique_ptr<Base>.
    template <class U, std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                            !std::is_same_v<std::decay_t<U>, Status>,
                                        int> = 0>
    Result(U&& value) : state_(std::in_place_type<T>, std::forward<U>(value)) {}
    Result(Status status) : state_(std::move(status)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    // OK for a value; otherwise why there is none.
    Status status() const { return ok() ? Status() : std::get<Status>(state_); }
    T& value() { return std::get<T>(state_); }
    const T& value() const { return std::get<T>(state_); }
    T& operator*() { return value(); }
    T* operator->() { return &value(); }

private:
    std::variant<T, Status> state_;
};

// The conventional name of a code, as gRPC spells it ("FAILED_PRECONDITION").
inline const char* code_name(Code code) {
    switch (code) {
    case Code::ok: return "OK";
    case Code::cancelled: return "CANCELLED";
    case Code::invalid_argument: return "INVALID_ARGUMENT";
    case Code::deadline_exceeded: return "DEADLINE_EXCEEDED";
    case Code::not_found: return "NOT_FOUND";
    case Code::already_exists: return "ALREADY_EXISTS";
    case Code::permission_denied: return "PERMISSION_DENIED";
    case Code::resource_exhausted: return "RESOURCE_EXHAUSTED";
    case Code::failed_precondition: return "FAILED_PRECONDITION";
    case Code::unimplemented: return "UNIMPLEMENTED";
    case Code::internal: return "INTERNAL";
    case Code::unavailable: return "UNAVAILABLE";
    case Code::unauthenticated: return "UNAUTHENTICATED";
    }
    return "UNKNOWN";
}

}  // namespace eventstore

#endif
