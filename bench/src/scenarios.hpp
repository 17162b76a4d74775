// scenarios.hpp: every scenario eventstore-bench knows, by name.
//
//   append-distinct  each call in flight appends to its own stream
//   append-hot       every call appends to one stream
//   append-zipf      streams drawn from a Zipf distribution (--zipf-streams, --zipf-exponent)
//   read-stream      pages of --page-size through one stream of --seed-events events
//   read-all         pages of --page-size through the global log, over --seed-events events
//   catch-up         subscribers from before --seed-events events until caught_up (optionally
//                    batched: --max-batch-events; --baseline read-all: ReadAll pages of 1,000)
// --protocol kurrent runs the append scenarios and catch-up through KurrentDB's protocol.
//   live             --subscribers subscribers, appends at --rate per second: append-to-delivery
//                    latency, and whether every subscriber received every event
//   fan-out          live with --stalled subscribers that stop reading and resume after the
//                    appends: the healthy ones' latency, every event to each, the server's RSS
//   idle-subscribers --subscribers caught-up subscriptions from this one process: the server's
//                    threads, its RSS growth, and its CPU over --idle-window seconds
//   rss              the started server's VmRSS after --rss-events appended events
//   growth           a fresh server, --growth-events events appended: the append and read rates
//                    at the start and at the end, and the sqlite file against the raw bytes
#ifndef EVENTSTORE_BENCH_SCENARIOS_HPP
#define EVENTSTORE_BENCH_SCENARIOS_HPP

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "closed_loop.hpp"
#include "figures.hpp"
#include "options.hpp"
#include "append_baseline.hpp"
#include "target.hpp"

namespace eventstore::bench {

std::vector<std::string> scenario_names();
bool is_scenario(const std::string& name);

// Everything a scenario runs against.
struct Bench {
    const Options& options;
    Target& project;
    // A second server the same load also runs against, after each run: the no-op server
    // (--baseline noop) or an eventstored on the memory backend (--baseline memory).
    Target* peer = nullptr;
    AppendBaseline* append_baseline = nullptr;  // --baseline pgbench or sqlite
};

// Runs scenario `name` for each combination of its parameters, and returns one point each.
std::vector<Point> run_scenario(const std::string& name, Bench& bench);

// The scenarios of each family (append_scenarios.cpp, read_scenarios.cpp, ...).
std::vector<Point> run_append(const std::string& name, Bench& bench);
std::vector<Point> run_read(const std::string& name, Bench& bench);
std::vector<Point> run_catch_up(Bench& bench);
std::vector<Point> run_live(const std::string& name, Bench& bench);
std::vector<Point> run_idle_subscribers(Bench& bench);
std::vector<Point> run_rss(Bench& bench);
std::vector<Point> run_growth(Bench& bench);

// A slot paging forward with ReadAll through (range.first_position - 1, range.last_position],
// `page_size` events a page, from `after`, starting over at the end (read_scenarios.cpp).
std::unique_ptr<CallSlot> read_all_slot(v1::EventStore::Stub& stub, Seeded range,
                                        uint32_t page_size, uint64_t after);

// `concurrency` slots paging through `range` with ReadAll, or through versions 1..length of
// `stream` with ReadStream, `page_size` events a page, each starting at its share of the range
// (read_scenarios.cpp).
std::vector<std::unique_ptr<CallSlot>> read_all_slots(const Target& target, Seeded range,
                                                      uint32_t page_size, uint32_t concurrency);
std::vector<std::unique_ptr<CallSlot>> read_stream_slots(const Target& target,
                                                         const std::string& stream,
                                                         uint64_t length, uint32_t page_size,
                                                         uint32_t concurrency);

// The slots of one closed-loop run against `target`, speaking `protocol` (scenarios that only
// speak eventstore.v1 ignore it: the options let --protocol kurrent through for the others only).
using SlotFactory =
    std::function<std::vector<std::unique_ptr<CallSlot>>(Target& target, Protocol protocol)>;

// A point of a closed-loop scenario: `repeats` runs against the project's server through
// --protocol, each followed by one against the baseline when there is one: the peer server
// through the same protocol (`peer_ready`, called once, prepares it), or (--baseline v1) the
// project's server through eventstore.v1.
Point measure_closed_loop(const std::string& scenario, Bench& bench,
                          std::map<std::string, double> parameters, const SlotFactory& slots,
                          const std::function<void(Target&)>& peer_ready = {});

// Prints one point as soon as it is measured (progress on stderr).
void announce(const Point& point);

}  // namespace eventstore::bench

#endif
