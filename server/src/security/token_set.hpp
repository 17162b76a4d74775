// token_set.hpp: the configured tokens as one immutable snapshot, found by SHA-256, and what a
// reload of the token list changes. A call holds the Grant of its token for as long as it runs
// (a subscription: until it ends), so a reload never frees what a call still reads; a reload
// marks the grants it drops as withdrawn, which is how open subscriptions learn of it.
#ifndef EVENTSTORE_SERVER_TOKEN_SET_HPP
#define EVENTSTORE_SERVER_TOKEN_SET_HPP

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/security_config.hpp"

namespace eventstore::server {

// One configured token as calls hold it. `token` never changes; `withdrawn` is set once, by the
// reload that dropped it, before that reload's snapshot is published.
struct Grant {
    enum class Withdrawn { no, removed, changed };

    explicit Grant(TokenConfig config) : token(std::move(config)) {}

    const TokenConfig token;
    std::atomic<Withdrawn> withdrawn{Withdrawn::no};
};

class TokenSet {
public:
    // What a reload did, by token: added (a new hash), removed (a hash no longer configured),
    // changed (the same hash with another name, permissions, prefixes or tenant).
    struct Change {
        size_t added = 0;
        size_t removed = 0;
        size_t changed = 0;
    };

    explicit TokenSet(const std::vector<TokenConfig>& tokens);

    // The snapshot for `tokens`: a token configured exactly as before keeps its grant (its calls
    // and subscriptions go on); every other grant of this set is marked withdrawn (removed or
    // changed). Counts into `change`. Not thread-safe against another replaced_by on this set.
    std::shared_ptr<const TokenSet> replaced_by(const std::vector<TokenConfig>& tokens,
                                                Change& change) const;

    // The grant of the token with this SHA-256 (hex), or null.
    std::shared_ptr<const Grant> find(const std::string& sha256) const;
    size_t size() const { return by_hash_.size(); }

private:
    TokenSet() = default;

    std::unordered_map<std::string, std::shared_ptr<Grant>> by_hash_;
};

}  // namespace eventstore::server

#endif
