// The server's UUID v7 ids (rpc/uuid_v7.hpp): the RFC 9562 layout, and strictly increasing within
// the process, also within one millisecond and across threads.
#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "rpc/uuid_v7.hpp"

namespace {

using eventstore::server::new_uuid_v7;

uint64_t millis_of(const std::string& id) {
    const std::string hex = id.substr(0, 8) + id.substr(9, 4);
    return std::stoull(hex, nullptr, 16);
}

uint64_t now_ms() {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
}

TEST(UuidV7, GivenANewId_ThenItIsCanonicalVersion7WithTheRfcVariantAndTodaysTime) {
    const uint64_t before = now_ms();
    const std::string id = new_uuid_v7();
    const uint64_t after = now_ms();
    ASSERT_EQ(id.size(), 36u);
    for (size_t dash : {8, 13, 18, 23}) EXPECT_EQ(id[dash], '-') << id;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef-"), std::string::npos) << id;
    EXPECT_EQ(id[14], '7') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    // A fresh millisecond's stamp is now; a busy one may have borrowed a few ahead.
    EXPECT_GE(millis_of(id), before) << id;
    EXPECT_LE(millis_of(id), after + 2) << id;
}

TEST(UuidV7, GivenManyIdsInARow_ThenEachIsGreaterThanTheOneBefore) {
    // Far more than one millisecond's worth of a counter seeded below half of 4,096.
    std::vector<std::string> ids(100000);
    for (auto& id : ids) id = new_uuid_v7();
    for (size_t i = 1; i < ids.size(); ++i) {
        ASSERT_LT(ids[i - 1], ids[i]) << "id " << i << " does not count up";
    }
}

TEST(UuidV7, GivenFourThreadsMakingIds_ThenAllAreDistinctAndEachThreadsCountUp) {
    constexpr size_t kPerThread = 20000;
    std::vector<std::vector<std::string>> made(4, std::vector<std::string>(kPerThread));
    std::vector<std::thread> threads;
    for (auto& ids : made) {
        threads.emplace_back([&ids] {
            for (auto& id : ids) id = new_uuid_v7();
        });
    }
    for (auto& thread : threads) thread.join();
    std::set<std::string> all;
    for (const auto& ids : made) {
        EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
        all.insert(ids.begin(), ids.end());
    }
    EXPECT_EQ(all.size(), 4 * kPerThread);
}

}  // namespace
