// auth.hpp: bearer-token authentication and what a token allows (docs/security.md). With auth off
// every call is allowed and nothing here costs more than one branch. With auth on, a call carries
// `authorization: Bearer <token>` (or Basic credentials: the token's name and the token, as
// KurrentDB's clients send them); the token's SHA-256 names one configured token, which grants
// read, write and/or delete, on streams under its prefixes, within its tenant.
#ifndef EVENTSTORE_SERVER_AUTH_HPP
#define EVENTSTORE_SERVER_AUTH_HPP

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <grpcpp/grpcpp.h>

#include "config/security_config.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"
#include "eventstore/v1/eventstore.pb.h"
#include "security/token_set.hpp"

namespace eventstore::server {

// What a call needs of its token: `read` (ReadStream, ReadAll, Subscribe, GetStreamState), `write`
// (Append), `delete_streams` (DeleteStream, TombstoneStream, TruncateStream, SetStreamRetention).
enum class Access { read, write, delete_streams };

// Who is calling. Without a token (auth off) the caller is unrestricted. Holds its token's grant,
// so the token's entry outlives a reload that drops it.
class Caller {
public:
    Caller() = default;
    explicit Caller(std::shared_ptr<const Grant> grant) : grant_(std::move(grant)) {}

    bool unrestricted() const { return grant_ == nullptr; }
    // True when the stream is under one of the token's prefixes.
    bool may_access(std::string_view stream_id) const;
    // True when the caller may read this event: its stream is allowed and, for a token with a
    // tenant, the event belongs to that tenant.
    bool may_see(const es_recorded_event& event) const;
    // The tenant stamped on appended events; empty: none.
    std::string_view tenant() const { return grant_ ? std::string_view(grant_->token.tenant) : ""; }
    const TokenConfig* token() const { return grant_ ? &grant_->token : nullptr; }
    // Whether a reload has dropped the token since this caller was admitted (never without one).
    Grant::Withdrawn withdrawn() const { return grant_ ? grant_->withdrawn.load() : Grant::Withdrawn::no; }

private:
    std::shared_ptr<const Grant> grant_;
};

// Who may do what. Its answers are core Statuses, like the rest of a handler's steps; the handler
// turns them into gRPC statuses with to_grpc (rpc/errors.hpp), which keeps code and message.
class Authorizer {
public:
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

    // Replaces the token list (auth.enabled stays as it was). Calls authenticated from now on see
    // the new list; the grants it drops are marked withdrawn first (Caller::withdrawn), so whoever
    // holds one can end what it serves. Thread-safe, also against calls in flight.
    TokenSet::Change replace_tokens(const std::vector<TokenConfig>& tokens);
    size_t token_count() const;

    // What the backend's refusal of an append may tell this caller: for a token with a tenant,
    // ALREADY_EXISTS without the stream, version and position of the stored event it names
    // (another tenant's event, perhaps); every other status as it is.
    static Status visible_append_failure(const Caller& caller, const Status& status);

    // For a caller whose token was withdrawn: UNAUTHENTICATED naming the token when it was removed,
    // UNAVAILABLE when it was changed (subscribe again: the new rights apply).
    static Status withdrawn_status(const Caller& caller);

private:
    std::shared_ptr<const TokenSet> tokens() const;

    const bool enabled_;
    std::mutex replacing_;  // one replace_tokens at a time
    mutable std::mutex mutex_;                // guards tokens_ (the pointer, not the snapshot)
    std::shared_ptr<const TokenSet> tokens_;  // immutable once published
};

}  // namespace eventstore::server

#endif
