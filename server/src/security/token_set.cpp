#include "security/token_set.hpp"

namespace eventstore::server {

TokenSet::TokenSet(const std::vector<TokenConfig>& tokens) {
    for (const TokenConfig& token : tokens) {
        by_hash_.emplace(token.sha256, std::make_shared<Grant>(token));
    }
}

std::shared_ptr<const TokenSet> TokenSet::replaced_by(const std::vector<TokenConfig>& tokens,
                                                      Change& change) const {
    std::shared_ptr<TokenSet> next(new TokenSet());
    for (const TokenConfig& token : tokens) {
        const auto kept = by_hash_.find(token.sha256);
        if (kept != by_hash_.end() && kept->second->token == token) {
            next->by_hash_.emplace(token.sha256, kept->second);
        } else {
            next->by_hash_.emplace(token.sha256, std::make_shared<Grant>(token));
            if (kept == by_hash_.end()) ++change.added;
        }
    }
    for (const auto& [hash, grant] : by_hash_) {
        const auto now = next->by_hash_.find(hash);
        if (now == next->by_hash_.end()) {
            grant->withdrawn = Grant::Withdrawn::removed;
            ++change.removed;
        } else if (now->second != grant) {
            grant->withdrawn = Grant::Withdrawn::changed;
            ++change.changed;
        }
    }
    return next;
}

std::shared_ptr<const Grant> TokenSet::find(const std::string& sha256) const {
    const auto found = by_hash_.find(sha256);
    return found == by_hash_.end() ? nullptr : found->second;
}

}  // namespace eventstore::server
