#include "security/auth.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "eventstore/abi_struct.hpp"
#include "security/crypto.hpp"

namespace eventstore::server {
namespace {

Status denied(const Caller& caller, const std::string& what) {
    return Status(Code::permission_denied, "token '" + caller.token()->name + "' " + what);
}

// What `authorization` carries: `Bearer <token>`, or `Basic base64(user:password)` (what
// KurrentDB's clients send), whose password is the token and whose user is the token's name.
struct Credentials {
    std::string token;  // empty: none sent, or not in a form this server reads
    std::optional<std::string> user;  // for Basic
};

// True when `value` starts with `scheme` (lower case, with its space), in any case.
bool has_scheme(std::string_view value, std::string_view scheme) {
    if (value.size() <= scheme.size()) return false;
    for (size_t i = 0; i < scheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(value[i])) != scheme[i]) return false;
    }
    return true;
}

Credentials credentials(const grpc::ServerContextBase& context) {
    const auto& metadata = context.client_metadata();
    const auto found = metadata.find("authorization");
    if (found == metadata.end()) return {};
    const std::string_view value(found->second.data(), found->second.size());
    constexpr std::string_view kBearer = "bearer ";
    constexpr std::string_view kBasic = "basic ";
    if (has_scheme(value, kBearer)) return {std::string(value.substr(kBearer.size())), std::nullopt};
    if (!has_scheme(value, kBasic)) return {};
    const std::optional<std::string> pair = base64_decode(value.substr(kBasic.size()));
    const size_t colon = pair ? pair->find(':') : std::string::npos;
    if (colon == std::string::npos) return {};
    return {pair->substr(colon + 1), pair->substr(0, colon)};
}

}  // namespace

bool Caller::may_access(std::string_view stream_id) const {
    if (!grant_) return true;
    const auto& prefixes = grant_->token.stream_prefixes;
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](const std::string& prefix) { return stream_id.starts_with(prefix); });
}

bool Caller::may_see(const es_recorded_event& event) const {
    if (!grant_) return true;
    const std::string& tenant = grant_->token.tenant;
    if (!tenant.empty() && abi::view(event.tenant_id) != tenant) return false;
    return may_access(abi::view(event.stream_id));
}

Authorizer::Authorizer(const AuthConfig& config)
    : enabled_(config.enabled), tokens_(std::make_shared<const TokenSet>(config.tokens)) {}

std::shared_ptr<const TokenSet> Authorizer::tokens() const {
    std::lock_guard lock(mutex_);
    return tokens_;
}

size_t Authorizer::token_count() const { return tokens()->size(); }

TokenSet::Change Authorizer::replace_tokens(const std::vector<TokenConfig>& tokens) {
    std::lock_guard replacing(replacing_);
    TokenSet::Change change;
    std::shared_ptr<const TokenSet> next = this->tokens()->replaced_by(tokens, change);
    std::lock_guard lock(mutex_);
    tokens_ = std::move(next);
    return change;
}

Status Authorizer::visible_append_failure(const Caller& caller, const Status& status) {
    if (status.code() != Code::already_exists || caller.tenant().empty()) return status;
    return Status(Code::already_exists,
                  "an event id of this append is already stored, and this append is not an "
                  "idempotent retry of it (the stored event is not described: it may belong to "
                  "another tenant)");
}

Status Authorizer::withdrawn_status(const Caller& caller) {
    const std::string name = caller.unrestricted() ? "" : caller.token()->name;
    if (caller.withdrawn() == Grant::Withdrawn::changed) {
        return Status(Code::unavailable, "token '" + name +
                                             "' was changed by a reload of the tokens: subscribe "
                                             "again (after the last position you received) to go "
                                             "on under its new rights");
    }
    return Status(Code::unauthenticated,
                  "token '" + name + "' was removed by a reload of the tokens");
}

Result<Caller> Authorizer::authenticate(const grpc::ServerContextBase& context, Access access) const {
    if (!enabled_) return Caller();
    const Credentials sent = credentials(context);
    if (sent.token.empty()) {
        return Status(Code::unauthenticated,
                      "authentication is on: send the metadata 'authorization: Bearer <token>' "
                      "(or Basic credentials: the token's name as user, the token as password)");
    }
    std::shared_ptr<const Grant> grant = tokens()->find(sha256_hex(sent.token));
    if (sent.user && (!grant || *sent.user != grant->token.name)) {
        // One answer for an unknown password and a user that does not name it: a guesser does
        // not learn which half was wrong.
        return Status(Code::unauthenticated,
                      "unknown Basic credentials (the user is a token's name, the password the token)");
    }
    if (!grant) return Status(Code::unauthenticated, "unknown bearer token");
    const TokenConfig& granted = grant->token;
    const Caller caller(std::move(grant));
    if (access == Access::write && !granted.write) return denied(caller, "may not write");
    if (access == Access::read && !granted.read) return denied(caller, "may not read");
    if (access == Access::delete_streams && !granted.delete_streams) {
        return denied(caller, "may not delete (the token needs the `delete` permission)");
    }
    return caller;
}

Status Authorizer::check_stream(const Caller& caller, std::string_view stream_id) {
    if (caller.may_access(stream_id)) return {};
    return denied(caller, "may not use stream '" + std::string(stream_id) +
                              "' (outside its stream_prefixes)");
}

Status Authorizer::check_append(const Caller& caller, const v1::AppendRequest& request) {
    if (caller.unrestricted()) return {};
    if (Status s = check_stream(caller, request.stream_id()); !s.ok()) return s;
    const std::string_view tenant = caller.tenant();
    if (tenant.empty()) return {};
    for (int i = 0; i < request.events_size(); ++i) {
        const std::string& named = request.events(i).metadata().tenant_id();
        if (!named.empty() && named != tenant) {
            return denied(caller, "belongs to tenant '" + std::string(tenant) + "' but events[" +
                                      std::to_string(i) + "] names tenant '" + named + "'");
        }
    }
    return {};
}

Result<Authorizer::LogReader> Authorizer::admit_log_reader(const grpc::ServerContextBase& context,
                                                           const std::string& requested) const {
    auto authenticated = authenticate(context, Access::read);
    if (!authenticated.ok()) return authenticated.status();
    LogReader reader{authenticated.value(), requested};
    const Caller& caller = reader.caller;
    if (caller.unrestricted() || caller.may_access(requested)) return reader;
    const std::string* inside = nullptr;
    size_t count = 0;
    for (const std::string& allowed : caller.token()->stream_prefixes) {
        if (allowed.starts_with(requested)) {
            inside = &allowed;
            ++count;
        }
    }
    if (count == 0) {
        return denied(caller, "may not read streams with prefix '" + requested +
                                  "' (outside its stream_prefixes)");
    }
    if (count == 1) reader.prefix = *inside;
    return reader;
}

}  // namespace eventstore::server
