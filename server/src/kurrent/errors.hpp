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

namespace eventstore::server::kurrent {

// PERMISSION_DENIED, `exception: access-denied`.
grpc::Status access_denied(grpc::ServerContextBase& context, const std::string& message);
// FAILED_PRECONDITION, `exception: stream-deleted`, `stream-name`.
grpc::Status stream_deleted(grpc::ServerContextBase& context, const std::string& stream);
// FAILED_PRECONDITION, `exception: wrong-expected-version`, `stream-name`, `expected-version`,
// `actual-version` (revisions; an empty actual when the stream has none).
grpc::Status wrong_expected_version(grpc::ServerContextBase& context, const std::string& stream,
                                    int64_t expected, std::optional<uint64_t> actual_revision);
// INVALID_ARGUMENT, `exception: maximum-append-size-exceeded`, `maximum-append-size`.
grpc::Status maximum_append_size_exceeded(grpc::ServerContextBase& context, uint64_t limit);
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

}  // namespace eventstore::server::kurrent

#endif
