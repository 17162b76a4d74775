#include "rpc/uuid_v7.hpp"

#include <chrono>

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace eventstore::server {

std::string new_uuid_v7() {
    // Boost 1.74 makes random (v4) UUIDs only; v7 keeps their random bits and puts the time first.
    thread_local boost::uuids::random_generator random;
    boost::uuids::uuid id = random();
    const uint64_t ms = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch())
            .count());
    for (int i = 0; i < 6; ++i) id.data[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
    id.data[6] = static_cast<uint8_t>(0x70 | (id.data[6] & 0x0f));  // version 7
    id.data[8] = static_cast<uint8_t>(0x80 | (id.data[8] & 0x3f));  // RFC variant
    return boost::uuids::to_string(id);
}

}  // namespace eventstore::server
