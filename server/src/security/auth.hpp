// auth.hpp: bearer-token authentication and what a token allows (docs/security.md). With auth off
// every call is allowed and nothing here costs more than one branch. With auth on, a call carries
// `authorization: Bearer <token>`; the token's SHA-256 names one configured token, which grants
// read and/or write, on streams under its prefixes, within its tenant.
#ifndef EVENTSTORE_SERVER_AUTH_HPP
#define EVENTSTORE_SERVER_AUTH_HPP

#include <string>
#include <string_view>
#include <unordered_map>

#include <grpcpp/grpcpp.h>

#include "config/security_config.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"
#include "eventstore/v1/eventstore.pb.h"

namespace eventstore::server {

enum class Access { read, write };

// Who is calling. Without a token (auth off) the caller is unrestricted.
class Caller {
public:
    Caller() = default;
    explicit Caller(const TokenConfig* token) : token_(token) {}

    bool unrestricted() const { return token_ == nullptr; }
    // True when the stream is under one of the token's prefixes.
    bool may_access(std::string_view stream_id) const;
    // True when the caller may read this event: its stream is allowed and, for a token with a
    // tenant, the event belongs to that tenant.
    bool may_see(const es_recorded_event& event) const;
    // The tenant stamped on appended events; empty: none.
    std::string_view tenant() const { return token_ ? std::string_view(token_->tenant) : ""; }
    const TokenConfig* token() const { return token_; }

private:
    const TokenConfig* token_ = nullptr;
};

// Who may do what. Its answers are core Statuses, like the rest of a handler's steps; the handler
// turns them into gRPC statuses with to_grpc (rpc/errors.hpp), which keeps code and message.
class Authorizer {
public:
    // `config` must outlive the authorizer.
    explicit Authorizer(const AuthConfig& config);

    // The caller, once its token is found and grants `access`. UNAUTHENTICATED when the token is
    // missing or unknown, PERMISSION_DENIED when it lacks `access`.
    Result<Caller> authenticate(const grpc::ServerContextBase& context, Access access) const;

    // PERMISSION_DENIED naming the stream when it is outside the caller's prefixes.
    static Status check_stream(const Caller& caller, std::string_view stream_id);
    // The stream check, and PERMISSION_DENIED when an event names a tenant other than the caller's.
    static Status check_append(const Caller& caller, const v1::AppendRequest& request);

    // A reader of the global log (ReadAll, Subscribe) and the prefix it reads with.
    struct LogReader {
        Caller caller;
        std::string prefix;
    };
    // For ReadAll and Subscribe: authenticate() for reading, then the prefix to read the global
    // log with for a caller who asked for `requested`: the one allowed prefix inside it when that
    // is unambiguous, else `requested` (and the events are filtered with may_see).
    // PERMISSION_DENIED when no allowed stream can match `requested`.
    Result<LogReader> admit_log_reader(const grpc::ServerContextBase& context,
                                       const std::string& requested) const;

private:
    const AuthConfig& config_;
    std::unordered_map<std::string, const TokenConfig*> by_hash_;
};

}  // namespace eventstore::server

#endif
