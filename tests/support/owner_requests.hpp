// owner_requests.hpp: appends and reads of a loaded store that carry tenants and owners (plugin.h
// "Stream owners"), for the backends' migration tests.
#ifndef EVENTSTORE_TESTS_SUPPORT_OWNER_REQUESTS_HPP
#define EVENTSTORE_TESTS_SUPPORT_OWNER_REQUESTS_HPP

#include <string>
#include <vector>

#include "eventstore/loader/store.hpp"

namespace eventstore::test {

// Appends to `stream` one event of each of `tenants` (tenant_id), in order, with fresh event ids,
// expected version any and no owner_tenant (as an operator's append).
Status append_of_tenants(loader::Store& store, const std::string& stream,
                         const std::vector<std::string>& tenants);

// Reads `stream` forward naming `owner` as owner_tenant; the read's status.
Status read_stream_as(loader::Store& store, const std::string& owner, const std::string& stream);

}  // namespace eventstore::test

#endif
