// The soak: 60 s (EVENTSTORE_SOAK_SECONDS) of mixed appends, reads and subscriptions from 32
// concurrent clients against the eventstored binary with the memory backend. Afterwards: no
// client saw an error or a broken rule, every acknowledged event is stored exactly once where its
// append said, every subscriber got every event it matches once and in order, and each probe
// sampled during the run (resident memory, the /metrics counters) is content. docs/testing.md
// explains the criteria.
#include <cstdlib>
#include <iostream>
#include <map>

#include <gtest/gtest.h>

#include "eventstore/v1/eventstore.grpc.pb.h"
#include "probes.hpp"
#include "served_eventstored.hpp"
#include "workload.hpp"

namespace eventstore::test::soak {
namespace {

using namespace std::chrono_literals;

std::chrono::seconds soak_duration() {
    const char* seconds = std::getenv("EVENTSTORE_SOAK_SECONDS");
    return std::chrono::seconds(seconds ? std::atoi(seconds) : 60);
}

// Everything sampled while the load runs: one entry per observation of the server.
std::vector<std::unique_ptr<Probe>> probes(ServedEventstored& server, uint16_t metrics_port) {
    std::vector<std::unique_ptr<Probe>> list;
    list.push_back(std::make_unique<RssProbe>(server.process().pid()));
    list.push_back(std::make_unique<MetricsProbe>(metrics_port));
    return list;
}

// What the checks after the run look at.
struct Outcome {
    const Ledger& ledger;
    std::vector<v1::RecordedEvent> stored;  // the whole log, read back after the load
    std::vector<Delivery> deliveries;
};

void no_client_saw_an_error(const Outcome& outcome) {
    const auto errors = outcome.ledger.errors();
    EXPECT_TRUE(errors.empty()) << errors.size() << " errors, the first: " << errors.front();
}

void every_acknowledged_event_is_stored_once_where_acknowledged(const Outcome& outcome) {
    const auto acknowledged = outcome.ledger.acknowledged();
    // Nothing failed, so every stored event was acknowledged: the log is exactly the ledger.
    ASSERT_EQ(outcome.stored.size(), acknowledged.size());
    std::map<uint64_t, const Acknowledged*> by_position;
    for (const auto& event : acknowledged) {
        ASSERT_TRUE(by_position.emplace(event.global_position, &event).second)
            << "two appends were acknowledged at position " << event.global_position;
    }
    for (const auto& stored : outcome.stored) {
        const auto found = by_position.find(stored.global_position());
        ASSERT_NE(found, by_position.end()) << "unacknowledged position " << stored.global_position();
        const Acknowledged& ack = *found->second;
        EXPECT_EQ(stored.metadata().event_id(), ack.event_id) << stored.global_position();
        EXPECT_EQ(stored.stream_id(), ack.stream_id) << stored.global_position();
        EXPECT_EQ(stored.stream_version(), ack.stream_version) << stored.global_position();
        by_position.erase(found);
    }
    EXPECT_TRUE(by_position.empty());
}

void every_subscriber_got_its_events_once_in_order(const Outcome& outcome) {
    for (const auto& delivery : outcome.deliveries) {
        std::vector<uint64_t> due;
        for (const auto& event : outcome.stored) {
            if (event.stream_id().rfind(delivery.prefix, 0) == 0) due.push_back(event.global_position());
        }
        EXPECT_EQ(delivery.positions, due) << "subscriber with prefix '" << delivery.prefix << "'";
    }
}

// Every check of the outcome, in order.
const std::vector<void (*)(const Outcome&)> kChecks = {
    no_client_saw_an_error,
    every_acknowledged_event_is_stored_once_where_acknowledged,
    every_subscriber_got_its_events_once_in_order,
};

std::vector<v1::RecordedEvent> read_whole_log(const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = v1::EventStore::NewStub(channel);
    std::vector<v1::RecordedEvent> events;
    v1::ReadAllRequest request;
    request.set_max_count(1000);
    for (;;) {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + 30s);
        v1::ReadAllResponse page;
        const grpc::Status status = stub->ReadAll(&context, request, &page);
        EXPECT_TRUE(status.ok()) << status.error_message();
        events.insert(events.end(), page.events().begin(), page.events().end());
        if (!status.ok() || page.reached_head()) return events;
        request.set_after_global_position(page.last_scanned_position());
    }
}

TEST(SoakTest, GivenMixedLoadFromManyClients_WhenItEnds_ThenNoErrorsStableMemoryAndEveryAcknowledgedEventExactlyOnce) {
    const uint16_t metrics_port = free_port();
    ServedEventstored server(MEMORY_PLUGIN_PATH,
                             "metrics:\n  listen: 127.0.0.1:" + std::to_string(metrics_port));
    const auto duration = soak_duration();
    Ledger ledger;
    Shape shape;
    shape.subscribers_join_within = duration / 2;
    Workload workload([&server] { return server.channel(); }, shape, ledger);
    auto watched = probes(server, metrics_port);

    const auto started = std::chrono::steady_clock::now();
    workload.start();
    for (auto next = started; next < started + duration;) {
        next += 1s;
        std::this_thread::sleep_until(next);  // the sampling rate, not a synchronisation
        const Moment moment{std::chrono::steady_clock::now() - started, ledger.acknowledged_count(),
                            ledger.acknowledged_bytes()};
        for (auto& probe : watched) probe->sample(moment);
    }
    workload.stop_load();
    uint64_t head = 0;
    for (const auto& event : ledger.acknowledged()) head = std::max(head, event.global_position);
    EXPECT_TRUE(workload.drain_subscribers(head, 60s)) << "a subscriber did not reach " << head;

    const Outcome outcome{ledger, read_whole_log(server.channel()), workload.deliveries()};
    std::cout << "soak: " << duration.count() << " s, " << ledger.calls() << " calls, "
              << ledger.acknowledged_count() << " events acknowledged, " << ledger.errors().size()
              << " errors, " << outcome.deliveries.size() << " subscribers" << std::endl;
    for (const auto& check : kChecks) check(outcome);
    for (const auto& probe : watched) probe->check();
    EXPECT_TRUE(server.healthy());
}

}  // namespace
}  // namespace eventstore::test::soak
