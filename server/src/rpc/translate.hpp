// translate.hpp: proto messages to ABI structs and back, for the data that crosses in bulk (the
// events of an append, recorded events). The ABI knows nothing of protobuf. The small read
// requests are filled where they are made (event_store_service.cpp, subscription.cpp).
#ifndef EVENTSTORE_SERVER_TRANSLATE_HPP
#define EVENTSTORE_SERVER_TRANSLATE_HPP

#include <string>
#include <string_view>
#include <vector>

#include "eventstore/plugin.h"
#include "eventstore/status.hpp"
#include "eventstore/v1/eventstore.pb.h"

namespace eventstore::server {

// An AppendRequest seen through the ABI: borrows the proto's bytes (keep the proto alive and
// unchanged), and owns the event ids the server makes for events that came without one. A
// non-empty `tenant` is the tenant_id of every event (the caller's token's tenant).
class AbiAppend {
public:
    explicit AbiAppend(const v1::AppendRequest& request, std::string_view tenant = {});
    AbiAppend(const AbiAppend&) = delete;
    AbiAppend& operator=(const AbiAppend&) = delete;

    const es_append_request& request() const { return request_; }

private:
    std::vector<std::string> generated_ids_;
    std::vector<std::vector<es_key_value>> headers_;
    std::vector<es_event_data> events_;
    std::vector<const es_event_data*> pointers_;
    es_append_request request_{};
};

// INVALID_ARGUMENT naming expected_version when it sets no kind this server knows but carries a
// field it does not know: a kind added to the proto after this build. Taken as unset (`any`), it
// would silently drop the client's concurrency check.
Status check_expected_kind_known(const v1::ExpectedVersion& expected);

// Copies one recorded event out of the backend's memory into a proto message.
void to_proto(const es_recorded_event& event, v1::RecordedEvent* out);

// The proto bytes one event takes in a response, to keep pages under the size budget.
size_t wire_size(const v1::RecordedEvent& event);

}  // namespace eventstore::server

#endif
