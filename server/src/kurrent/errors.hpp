// errors.hpp: refusals as KurrentDB's clients decode them: a gRPC status and, where KurrentDB
// sends one, the trailer `exception` naming the error and the trailers that carry its values
// (KurrentDB's RpcExceptions; the table is in docs/kurrent-protocol.md, "Errors").
#ifndef EVENTSTORE_SERVER_KURRENT_ERRORS_HPP
#define EVENTSTORE_SERVER_KURRENT_ERRORS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <grpcpp/grpcpp.h>

#include "eventstore/status.hpp"
#include "eventstore/plugin.h"
#include "eventstore/v1/eventstore.pb.h"
#include "google/rpc/status.pb.h"

namespace eventstore::server::kurrent {

// PERMISSION_DENIED, `exception: access-denied`.
grpc::Status access_denied(grpc::ServerContextBase& context, const std::string& message);
// FAILED_PRECONDITION, `exception: stream-deleted`, `stream-name`.
grpc::Status stream_deleted(grpc::ServerContextBase& context, const std::string& stream);
// FAILED_PRECONDITION, `exception: wrong-expected-version`, `stream-name`, `expected-version`,
// `actual-version`, as KurrentDB's numbers: a revision, or -1 no stream, -2 any, -4 stream exists.
// `operation` names the call in the message ("Delete"). (Append answers it in its response.)
grpc::Status wrong_expected_version(grpc::ServerContextBase& context, const std::string& operation,
                                    const std::string& stream, int64_t expected, int64_t actual);
// INVALID_ARGUMENT, `exception: maximum-append-size-exceeded`, `maximum-append-size` (`limit`
// bytes). `message` says which limit (empty: KurrentDB's own message).
grpc::Status maximum_append_size_exceeded(grpc::ServerContextBase& context, uint64_t limit,
                                          const std::string& message = {});
// INVALID_ARGUMENT, `exception: missing-required-metadata-property`,
// `required-metadata-properties: type,content-type`.
grpc::Status missing_required_metadata(grpc::ServerContextBase& context, std::string_view property);
// INVALID_ARGUMENT without a trailer: a request the protocol cannot carry (no options message, an
// unknown oneof case, a malformed UUID, an invalid regular expression).
grpc::Status bad_request(const std::string& message);
// UNIMPLEMENTED: what the protocol has and this server does not (docs/kurrent-protocol.md).
grpc::Status not_supported(const std::string& what);

// Any other refusal of the core (authentication, validation, the backend): PERMISSION_DENIED and
// UNAUTHENTICATED as access-denied, the rest as eventstore.v1 answers it (rpc/errors.hpp: INTERNAL
// names the request id).
grpc::Status refused(grpc::ServerContextBase& context, const Status& status);
// The same for a status the backend returned (counted as eventstore.v1 counts it: backend_to_grpc).
grpc::Status backend_refused(grpc::ServerContextBase& context, const Status& status);

// A refusal of a write (Append, BatchAppend) before it is said in one call's way: with trailers
// (answer) or as BatchAppend's google.rpc.Status with a packed detail (batch_error).
struct Refusal {
    enum class Kind {
        access_denied,                 // text: the message
        stream_deleted,                // text: the stream
        maximum_append_size_exceeded,  // text: which limit; limit: max_append_bytes
        missing_required_metadata,     // text: the property
        bad_request,                   // text: the message
        timeout,                       // core: DEADLINE_EXCEEDED (a batch's own deadline too)
        other,                         // core: the status, as eventstore.v1 answers it
    };
    Kind kind = Kind::other;
    std::string text;
    uint64_t limit = 0;
    Status core;
    bool from_backend = false;  // `core` came from the backend (for its metric)
};

// The core's refusal of an append (its admission, or the backend's answer other than a wrong
// expected version), as a Refusal: PERMISSION_DENIED and UNAUTHENTICATED as access-denied, the
// append limits (limits.max_append_bytes, limits.max_append_events) as
// maximum-append-size-exceeded with `max_append_bytes`, INVALID_ARGUMENT as a bad request.
Refusal classify(const Status& status, uint64_t max_append_bytes, bool from_backend);
// For an append whose messages still arrive: maximum-append-size-exceeded when `request` (its events
// so far, of which `bytes` is the running count this function keeps: payloads and headers) is
// sure to be refused by the core's limits (a lower bound of validation::event_size; the core's
// own check decides the rest), so the server stops holding what the client sends.
std::optional<Refusal> past_append_limits(const v1::AppendRequest& request, uint64_t& bytes,
                                          const es_limits& limits);
// A refusal as Append answers it (a status with KurrentDB's trailers).
grpc::Status answer(grpc::ServerContextBase& context, const Refusal& refusal);
// A refusal as BatchAppend answers it: a google.rpc.Status whose one detail packs KurrentDB's
// message (AccessDenied, StreamDeleted with `stream`, MaximumAppendSizeExceeded, BadRequest; for
// any other, an Empty, with the code and message eventstore.v1 would answer).
google::rpc::Status batch_error(const grpc::ServerContextBase& context, const Refusal& refusal);

}  // namespace eventstore::server::kurrent

#endif
