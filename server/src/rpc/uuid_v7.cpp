#include "rpc/uuid_v7.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>

#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <openssl/rand.h>

namespace eventstore::server {
namespace {

constexpr int kCounterBits = 12;
constexpr uint64_t kCounterMask = (uint64_t{1} << kCounterBits) - 1;
// A fresh millisecond's counter starts below half, leaving room to count up.
constexpr uint64_t kSeedMask = kCounterMask >> 1;

// (Unix milliseconds << 12) | counter of the last id this process made.
std::atomic<uint64_t> last_stamp{0};

// Random words drawn from OpenSSL's generator a batch at a time per thread: one RAND_bytes call
// (a lock and a DRBG step) costs about as much as a batch, and a request id is made per call.
constexpr size_t kBatchWords = 64;

uint64_t random_u64() {
    thread_local std::array<uint64_t, kBatchWords> batch;
    thread_local size_t left = 0;
    if (left == 0) {
        if (RAND_bytes(reinterpret_cast<unsigned char*>(batch.data()), sizeof batch) != 1) {
            // OpenSSL could not seed itself: the kernel's generator directly.
            thread_local std::random_device device;
            return (uint64_t{device()} << 32) | device();
        }
        left = batch.size();
    }
    return batch[--left];
}

uint64_t next_stamp() {
    const uint64_t now_ms = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch())
            .count());
    uint64_t last = last_stamp.load(std::memory_order_relaxed);
    for (;;) {
        const uint64_t next = now_ms > (last >> kCounterBits)
                                  ? (now_ms << kCounterBits) | (random_u64() & kSeedMask)
                                  : last + 1;  // a full counter carries into the millisecond
        if (last_stamp.compare_exchange_weak(last, next, std::memory_order_relaxed)) return next;
    }
}

}  // namespace

std::string new_uuid_v7() {
    const uint64_t stamp = next_stamp();
    const uint64_t ms = stamp >> kCounterBits;
    const uint64_t counter = stamp & kCounterMask;
    const uint64_t random = random_u64();
    boost::uuids::uuid id{};
    for (int i = 0; i < 6; ++i) id.data[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
    id.data[6] = static_cast<uint8_t>(0x70 | (counter >> 8));  // version 7, counter's high bits
    id.data[7] = static_cast<uint8_t>(counter);
    for (int i = 8; i < 16; ++i) id.data[i] = static_cast<uint8_t>(random >> (8 * (15 - i)));
    id.data[8] = static_cast<uint8_t>(0x80 | (id.data[8] & 0x3f));  // RFC variant
    return boost::uuids::to_string(id);
}

}  // namespace eventstore::server
