#include "subscriptions/shared_event.hpp"

#include "eventstore/abi_struct.hpp"
#include "rpc/translate.hpp"

namespace eventstore::server {

bool SharedEvent::visible_to(const std::string& prefix, const Caller& caller) const {
    if (stream_id.compare(0, prefix.size(), prefix) != 0) return false;
    if (caller.unrestricted()) return true;
    es_recorded_event event{};
    event.stream_id = abi::bytes(stream_id);
    event.tenant_id = abi::bytes(tenant_id);
    return caller.may_see(event);
}

SharedEventPtr share(const es_recorded_event& event) {
    auto shared = std::make_shared<SharedEvent>();
    shared->position = event.global_position;
    shared->stream_id.assign(abi::view(event.stream_id));
    shared->tenant_id.assign(abi::view(event.tenant_id));
    // One message per thread: Clear() keeps its strings' allocations.
    thread_local v1::RecordedEvent proto;
    proto.Clear();
    to_proto(event, &proto);
    proto.SerializeToString(&shared->bytes);
    return shared;
}

}  // namespace eventstore::server
