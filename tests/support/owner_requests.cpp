#include "owner_requests.hpp"

#include <atomic>
#include <cstdio>
#include <random>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"

namespace eventstore::test {

Status append_of_tenants(loader::Store& store, const std::string& stream,
                         const std::vector<std::string>& tenants) {
    static const unsigned run = std::random_device()();
    static std::atomic<unsigned long long> next{0};
    abi::AppendBuilder append;
    append.request().stream_id = append.keep(stream);
    for (const std::string& tenant : tenants) {
        char id[37];
        std::snprintf(id, sizeof id, "%08x-0000-7000-8000-%012llx", run, ++next);
        es_event_data& event = append.add_event();
        event.event_id = append.keep(id);
        event.type_name = abi::bytes("Happened");
        event.tenant_id = append.keep(tenant);
    }
    es_append_result result = abi::make_struct<es_append_result>();
    return store.append(append.request(), result);
}

Status read_stream_as(loader::Store& store, const std::string& owner, const std::string& stream) {
    es_read_stream_request read = abi::make_struct<es_read_stream_request>();
    read.stream_id = abi::bytes(stream);
    read.forward = true;
    read.max_count = 10;
    read.owner_tenant = abi::bytes(owner);
    auto iterator = store.read_stream(read);
    return iterator.ok() ? Status() : iterator.status();
}

}  // namespace eventstore::test
