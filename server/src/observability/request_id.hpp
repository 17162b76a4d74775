// request_id.hpp: the one request id of a call, which its failure log line, its `x-request-id`
// trailer and an INTERNAL error's message all carry (docs/operations.md, "Logs").
//
// The id is fixed when the call starts, before its handler runs: the RpcObserver
// (rpc_observer.hpp) calls assign_request_id on the metadata the call arrived with. The id is the
// client's `x-request-id` when it is usable (1 to 128 of [A-Za-z0-9._:-], nothing that could
// forge a log line), else a new UUID v7, and it is left in that metadata as the call's only
// `x-request-id` (as a proxy such as Envoy sets the header on a request that lacks one). So
// whatever handles the call reads the same id from its ServerContext with request_id(): the
// service where it makes an error (rpc/errors.hpp), the observer when the call ends.
#ifndef EVENTSTORE_SERVER_REQUEST_ID_HPP
#define EVENTSTORE_SERVER_REQUEST_ID_HPP

#include <map>
#include <string>

#include <grpcpp/server_context.h>

namespace eventstore::server {

// Leaves `metadata` (a call's received metadata) with exactly one usable `x-request-id`, the
// client's or a new one. `storage` holds a new id and must live as long as the call: the metadata
// refers to it.
void assign_request_id(std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                       std::string& storage);

// The call's id, as assign_request_id left it. A context the observer never saw (a service called
// directly, as the fuzz target does) has none: it gets a new id each time.
std::string request_id(const grpc::ServerContextBase& context);

}  // namespace eventstore::server

#endif
