// uuid_v7.hpp: makes the event ids the server assigns when a client leaves event_id empty.
#ifndef EVENTSTORE_SERVER_UUID_V7_HPP
#define EVENTSTORE_SERVER_UUID_V7_HPP

#include <string>

namespace eventstore::server {

// A new UUID version 7 (RFC 9562: 48-bit Unix milliseconds, then random bits), in canonical
// lower-case 8-4-4-4-12 text. Thread-safe.
std::string new_uuid_v7();

}  // namespace eventstore::server

#endif
