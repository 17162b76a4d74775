#include "observability/request_id.hpp"

#include <iterator>
#include <string_view>

#include "rpc/uuid_v7.hpp"

namespace eventstore::server {
namespace {

constexpr std::string_view kHeader = "x-request-id";

bool usable(const grpc::string_ref& id) {
    const std::string_view text(id.data(), id.size());
    return !text.empty() && text.size() <= 128 &&
           text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789._:-") == std::string_view::npos;
}

}  // namespace

void assign_request_id(std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                       std::string& storage) {
    const grpc::string_ref key(kHeader.data(), kHeader.size());
    const auto [first, last] = metadata.equal_range(key);
    if (first != last && std::next(first) == last && usable(first->second)) return;
    metadata.erase(first, last);
    storage = new_uuid_v7();
    metadata.emplace(key, grpc::string_ref(storage));
}

std::string request_id(const grpc::ServerContextBase& context) {
    const auto& metadata = context.client_metadata();
    const auto found = metadata.find(grpc::string_ref(kHeader.data(), kHeader.size()));
    if (found != metadata.end() && usable(found->second)) {
        return std::string(found->second.data(), found->second.size());
    }
    return new_uuid_v7();
}

}  // namespace eventstore::server
