#include "owner_fallback.hpp"

#include <optional>
#include <string>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_rules.hpp"
#include "eventstore/deadline.hpp"
#include "eventstore/loader/plugin.hpp"

namespace eventstore::loader {
namespace {

constexpr uint32_t kFirstOwnerMinor = 3;

// DEADLINE_EXCEEDED once the call's deadline passed between the calls made for it: nothing was
// written (plugin.h "Deadlines": the host never calls once it has passed).
Status deadline_passed(es_bytes stream_id) {
    return Status(Code::deadline_exceeded,
                  "the call's deadline passed while the owner of stream '" +
                      std::string(abi::view(stream_id)) + "' was checked; nothing was written");
}

// The tenant_id of the stream's version 1, or nothing for a stream with no events.
Result<std::optional<std::string>> owner_of(Store& store, es_bytes stream_id, const Deadline& deadline) {
    if (deadline.passed()) return deadline_passed(stream_id);
    es_read_stream_request first = abi::make_struct<es_read_stream_request>();
    first.forward = true;
    first.stream_id = stream_id;
    first.from_version = 1;
    first.max_count = 1;
    first.timeout_us = deadline.timeout_us();
    auto iterator = store.read_stream(first);
    if (iterator.status().code() == Code::not_found) return std::optional<std::string>();
    if (!iterator.ok()) return iterator.status();
    es_recorded_event event;
    auto has_event = iterator.value()->next(event);
    if (!has_event.ok()) return has_event.status();
    if (!has_event.value()) return std::optional<std::string>();
    return std::optional<std::string>(std::string(abi::view(event.tenant_id)));
}

}  // namespace

template <class Request>
bool needs_owner_fallback(const Plugin& plugin, const Request& request) {
    return request.owner_tenant.len > 0 && plugin.abi_minor() < kFirstOwnerMinor;
}
template bool needs_owner_fallback(const Plugin&, const es_append_request&);
template bool needs_owner_fallback(const Plugin&, const es_read_stream_request&);

Status append_checking_owner(Store& store, const es_append_request& request,
                             es_append_result& result) {
    // Each call made for the request gets what is left of its deadline.
    const Deadline deadline = Deadline::from_timeout_us(request.timeout_us);
    es_append_request sent = request;
    sent.owner_tenant = es_bytes{};
    // Two rounds at most: a stream missing in the first exists in the second.
    for (int round = 0; round < 2; ++round) {
        auto owner = owner_of(store, request.stream_id, deadline);
        if (!owner.ok()) return owner.status();
        if (deadline.passed()) return deadline_passed(request.stream_id);
        sent.timeout_us = deadline.timeout_us();
        if (owner.value()) {
            if (plugin::owned_by_another(request, *owner.value())) {
                return plugin::not_the_owner(abi::view(request.stream_id));
            }
            return store.append(sent, result);
        }
        if (!plugin::expected_matches(request, 0)) {
            result = abi::make_struct<es_append_result>();
            return plugin::wrong_expected_version(request, 0, result);
        }
        es_append_request create = sent;
        create.expected_kind = ES_EXPECT_NO_STREAM;
        create.expected_version = 0;
        const Status created = store.append(create, result);
        if (created.code() != Code::failed_precondition) return created;
    }
    return Status(Code::internal, "stream '" + std::string(abi::view(request.stream_id)) +
                                      "' was created and then had no first event");
}

Result<std::unique_ptr<Iterator>> read_stream_checking_owner(Store& store,
                                                             const es_read_stream_request& request) {
    const Deadline deadline = Deadline::from_timeout_us(request.timeout_us);
    auto owner = owner_of(store, request.stream_id, deadline);
    if (!owner.ok()) return owner.status();
    if (!owner.value() || plugin::owned_by_another(request, *owner.value())) {
        return plugin::stream_not_found(abi::view(request.stream_id));
    }
    if (deadline.passed()) return deadline_passed(request.stream_id);
    es_read_stream_request sent = request;
    sent.owner_tenant = es_bytes{};
    sent.timeout_us = deadline.timeout_us();
    return store.read_stream(sent);
}

}  // namespace eventstore::loader
