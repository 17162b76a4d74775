// parse_errors.hpp: requests that protobuf cannot parse. gRPC answers them with INTERNAL (or, on
// the callback API, UNIMPLEMENTED) and an empty message, which reads as a server fault. With this interceptor the client gets
// INVALID_ARGUMENT instead, naming the field when protobuf said which one (a string field that
// is not valid UTF-8), and saying what to do.
//
// How: protobuf names the field only in a log line, written on the thread that parses. Its log
// handler (installed by capture_protobuf_log) keeps that name per thread and forwards every line
// to spdlog; the synchronous server parses a request and runs this interceptor's receive hook on
// the same thread, so the hook takes the name from there.
#ifndef EVENTSTORE_SERVER_PARSE_ERRORS_HPP
#define EVENTSTORE_SERVER_PARSE_ERRORS_HPP

#include <memory>
#include <string>

#include <grpcpp/support/server_interceptor.h>

namespace eventstore::server {

// Sends protobuf's log lines to spdlog and keeps the field of a UTF-8 failure for the
// interceptor. Process-wide; call before the server starts.
void capture_protobuf_log();

// For a method that parses its request itself (Subscribe, a raw callback method), on the thread
// that parsed: the INVALID_ARGUMENT the interceptor would give, naming the refused field.
grpc::Status unparsable_request(const std::string& method);

// For ServerBuilder::experimental().SetInterceptorCreators.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> parse_error_interceptors();

}  // namespace eventstore::server

#endif
