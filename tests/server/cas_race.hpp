// cas_race.hpp: the compare-and-swap race of the concurrency suites, run against whatever servers
// a suite has (one in-process server, or two eventstored processes on one database).
#ifndef EVENTSTORE_TESTS_CAS_RACE_HPP
#define EVENTSTORE_TESTS_CAS_RACE_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "eventstore/v1/eventstore.grpc.pb.h"

namespace eventstore::test {

// A new stub for racer `racer` (racers may use different servers of one store).
using RacerStub = std::function<std::unique_ptr<v1::EventStore::Stub>(int racer)>;

// Runs `rounds` rounds on a fresh `stream`: in round v all `racers` threads start together and each
// appends one event expecting exact version v. Expects (as gtest failures) exactly one winner per
// round, whose response says version v + 1; every loser refused with FAILED_PRECONDITION and a
// WrongExpectedVersion whose actual version is v + 1; and afterwards the stream, read through racer
// 0's server, holds `rounds` events at versions 1 to `rounds`.
void expect_one_winner_per_round(const RacerStub& stub_for, int racers, uint64_t rounds,
                                 const std::string& stream = "Hot");

}  // namespace eventstore::test

#endif
