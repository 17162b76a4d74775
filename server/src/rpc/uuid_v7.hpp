// uuid_v7.hpp: makes the event ids the server assigns when a client leaves event_id empty, and
// the request ids of calls that came without one.
#ifndef EVENTSTORE_SERVER_UUID_V7_HPP
#define EVENTSTORE_SERVER_UUID_V7_HPP

#include <string>

namespace eventstore::server {

// A new UUID version 7 (RFC 9562: 48-bit Unix milliseconds, a 12-bit counter, 62 random bits), in
// canonical lower-case 8-4-4-4-12 text. The ids one process makes are strictly increasing, as
// the SDKs' are: within a millisecond the counter (seeded at random each millisecond, section
// 6.2 method 1) counts up, and when it runs out the id borrows the next millisecond. Random bits
// come from OpenSSL's generator (no system call per id), drawn 512 bytes at a time per thread.
// Thread-safe.
std::string new_uuid_v7();

}  // namespace eventstore::server

#endif
