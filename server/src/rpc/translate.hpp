// translate.hpp: proto messages to ABI structs and back, the one place for that translation: the
// append and read requests (each with its call's deadline, filled by fill_deadline) and recorded
// events. The ABI knows nothing of protobuf.
#ifndef EVENTSTORE_SERVER_TRANSLATE_HPP
#define EVENTSTORE_SERVER_TRANSLATE_HPP

#include <string_view>

#include "eventstore/append_builder.hpp"
#include "eventstore/plugin.h"
#include "eventstore/status.hpp"
#include "eventstore/v1/eventstore.pb.h"
#include "rpc/call_deadline.hpp"

namespace eventstore::server {

// An AppendRequest as an ABI append request (without its deadline: fill_deadline). Borrows the
// proto's bytes (keep the proto alive and unchanged); the builder owns the event ids the server
// makes for events that came without one. A non-empty `tenant` (the caller's token's tenant) is
// the tenant_id of every event and the request's owner_tenant (plugin.h, "Stream owners"): the
// backend refuses the append into a stream of another tenant.
abi::AppendBuilder append_request(const v1::AppendRequest& request, std::string_view tenant = {});

// Sets the timeout_us of an ABI request (append, read_stream, read_all) for a backend call made
// now; DEADLINE_EXCEEDED when the deadline has passed already (then do not call the backend).
template <class AbiRequest>
Status fill_deadline(AbiRequest& request, const CallDeadline& deadline) {
    const Result<uint64_t> timeout_us = deadline.timeout_us();
    if (!timeout_us.ok()) return timeout_us.status();
    request.timeout_us = timeout_us.value();
    return {};
}

// A ReadStream call as a read_stream request: the page size clamped to `limits`, the deadline
// filled. Borrows the proto's stream_id and `owner_tenant` (the caller's tenant; empty: none),
// with which a stream of another tenant reads as not found (plugin.h, "Stream owners").
Result<es_read_stream_request> read_stream_request(const v1::ReadStreamRequest& request,
                                                   std::string_view owner_tenant,
                                                   const es_limits& limits,
                                                   const CallDeadline& deadline);

// A page of the global log: up to `max_count` events (already clamped) after `after`, of the
// streams starting with `prefix` (borrowed), scanning at most `max_scan` positions (0: the
// backend's choice), the deadline filled. Subscriptions read their pages with it.
Result<es_read_all_request> read_all_request(uint64_t after, uint32_t max_count,
                                             std::string_view prefix, uint64_t max_scan,
                                             const CallDeadline& deadline);

// A ReadAll call as a read_all request: the page size clamped to `limits`; `prefix` is the one the
// caller was admitted to read (borrowed), which may be narrower than the request's.
Result<es_read_all_request> read_all_request(const v1::ReadAllRequest& request,
                                             std::string_view prefix, const es_limits& limits,
                                             const CallDeadline& deadline);

// INVALID_ARGUMENT naming expected_version when it sets no kind this server knows but carries a
// field it does not know: a kind added to the proto after this build. Taken as unset (`any`), it
// would silently drop the client's concurrency check.
Status check_expected_kind_known(const v1::ExpectedVersion& expected);

// The change_stream request of a lifecycle call (plugin.h, "Stream lifecycle"), without its
// deadline (fill_deadline): its kind, the stream (borrowed: keep `stream_id` alive) and the
// caller's tenant as owner_tenant (borrowed; empty: none), with which the backend refuses a stream
// of another tenant. The calls' own fields go in with the two setters below.
es_stream_change_request change_request(es_stream_change_kind kind, const std::string& stream_id,
                                        std::string_view owner_tenant);
// DeleteStream's and TombstoneStream's expected version, as Append's.
void set_expected(es_stream_change_request& request, const v1::ExpectedVersion& expected);
// SetStreamRetention's limits; INVALID_ARGUMENT for a negative, sub-microsecond or absurdly long
// max_age (nanoseconds below a whole microsecond are dropped).
Status set_retention(es_stream_change_request& request, const v1::StreamRetention& retention);
// A stream's state as the lifecycle calls answer it.
void to_proto(const std::string& stream_id, const es_stream_state& state, v1::StreamState* out);

// Copies one recorded event out of the backend's memory into a proto message.
void to_proto(const es_recorded_event& event, v1::RecordedEvent* out);

// The proto bytes one event takes in a response, to keep pages under the size budget.
size_t wire_size(const v1::RecordedEvent& event);

}  // namespace eventstore::server

#endif
