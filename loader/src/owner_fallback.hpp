// owner_fallback.hpp: plugin.h's "Stream owners" rule for a plugin of ABI 1.0 to 1.2, which
// cannot be asked to enforce it: the loader enforces it around the plugin's own calls. It costs
// one read_stream of version 1 per call (two when an append races to create the stream), and
// stays exact under concurrent appends because a stream's owner never changes once its first
// event exists:
//   append  the owner is looked up first. A stream of another owner: PERMISSION_DENIED, nothing
//           written. An existing stream of this owner: the append as asked. No stream yet: an
//           expectation that needs one (stream exists, exact >= 1) fails with actual version 0,
//           true at the moment of the lookup; any other is sent as "no stream", so that the
//           append cannot land in a stream another owner created meanwhile; if one did, the
//           lookup and the check are made again, now on an existing stream.
//   read_stream  the owner is looked up; another owner: NOT_FOUND, as for a missing stream.
// The calls made for one request share its deadline (timeout_us): each gets what is left, and
// none is made once it has passed (DEADLINE_EXCEEDED, nothing written).
#ifndef EVENTSTORE_LOADER_OWNER_FALLBACK_HPP
#define EVENTSTORE_LOADER_OWNER_FALLBACK_HPP

#include <memory>

#include "eventstore/loader/store.hpp"

namespace eventstore::loader {

// True when `request` asks for the owner check (owner_tenant set) of a plugin that predates it.
template <class Request>
bool needs_owner_fallback(const Plugin& plugin, const Request& request);

// For requests with owner_tenant set; `store` gets them without it.
Status append_checking_owner(Store& store, const es_append_request& request,
                             es_append_result& result);
Result<std::unique_ptr<Iterator>> read_stream_checking_owner(Store& store,
                                                             const es_read_stream_request& request);

}  // namespace eventstore::loader

#endif
