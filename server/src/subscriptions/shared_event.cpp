#include "subscriptions/shared_event.hpp"

#include <algorithm>

#include "eventstore/abi_struct.hpp"
#include "rpc/page_reader.hpp"
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
    shared->type.assign(abi::view(event.type_name));
    // One message per thread: Clear() keeps its strings' allocations.
    thread_local v1::RecordedEvent proto;
    proto.Clear();
    to_proto(event, &proto);
    proto.SerializeToString(&shared->bytes);
    return shared;
}

Result<Page> read_page(loader::Store& store, const es_read_all_request& read, const Caller& caller,
                       uint64_t head) {
    auto iterator = store.read_all(read);
    if (!iterator.ok()) return iterator.status();
    Page page;
    page.after = read.after_position;
    auto drained = drain(*iterator.value(), [&](const es_recorded_event& event) {
        if (caller.may_see(event)) page.events.push_back(share(event));
        return true;
    });
    if (!drained.ok()) return drained.status();
    page.scanned_to = std::max(page.after, drained->page.last_scanned_position);
    page.head = head;
    page.at_head = drained->page.reached_head || page.scanned_to == page.after;
    return page;
}

}  // namespace eventstore::server
