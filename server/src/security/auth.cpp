#include "security/auth.hpp"

#include <algorithm>
#include <cctype>

#include "eventstore/abi_struct.hpp"
#include "security/crypto.hpp"

namespace eventstore::server {
namespace {

Status denied(const Caller& caller, const std::string& what) {
    return Status(Code::permission_denied, "token '" + caller.token()->name + "' " + what);
}

// The token of `authorization: Bearer <token>`, or empty.
std::string_view bearer_token(const grpc::ServerContextBase& context) {
    const auto& metadata = context.client_metadata();
    const auto found = metadata.find("authorization");
    if (found == metadata.end()) return {};
    const std::string_view value(found->second.data(), found->second.size());
    constexpr std::string_view kScheme = "bearer ";
    if (value.size() <= kScheme.size()) return {};
    for (size_t i = 0; i < kScheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return {};
    }
    return value.substr(kScheme.size());
}

}  // namespace

bool Caller::may_access(std::string_view stream_id) const {
    if (!token_) return true;
    return std::any_of(token_->stream_prefixes.begin(), token_->stream_prefixes.end(),
                       [&](const std::string& prefix) { return stream_id.starts_with(prefix); });
}

bool Caller::may_see(const es_recorded_event& event) const {
    if (!token_) return true;
    if (!token_->tenant.empty() && abi::view(event.tenant_id) != token_->tenant) return false;
    return may_access(abi::view(event.stream_id));
}

Authorizer::Authorizer(const AuthConfig& config) : config_(config) {
    for (const TokenConfig& token : config_.tokens) by_hash_.emplace(token.sha256, &token);
}

Result<Caller> Authorizer::authenticate(const grpc::ServerContextBase& context, Access access) const {
    if (!config_.enabled) return Caller();
    const std::string_view token = bearer_token(context);
    if (token.empty()) {
        return Status(Code::unauthenticated,
                      "authentication is on: send the metadata 'authorization: Bearer <token>'");
    }
    const auto found = by_hash_.find(sha256_hex(token));
    if (found == by_hash_.end()) return Status(Code::unauthenticated, "unknown bearer token");
    const Caller caller(found->second);
    const TokenConfig& granted = *found->second;
    if (access == Access::write && !granted.write) return denied(caller, "may not write");
    if (access == Access::read && !granted.read) return denied(caller, "may not read");
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
