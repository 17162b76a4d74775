// probes.hpp: what the soak watches while the load runs. Each probe is sampled about once a
// second and gives its verdict (GoogleTest expectations) after the run. The soak's list of probes
// is where a new observation goes (soak_test.cpp, probes()).
#ifndef EVENTSTORE_TESTS_SOAK_PROBES_HPP
#define EVENTSTORE_TESTS_SOAK_PROBES_HPP

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "ledger.hpp"

namespace eventstore::test::soak {

// The moment a probe is sampled at.
struct Moment {
    std::chrono::steady_clock::duration elapsed;  // since the load started
    uint64_t events;                              // acknowledged so far
    uint64_t bytes;                               // their counted bytes
};

class Probe {
public:
    virtual ~Probe() = default;
    virtual void sample(const Moment& moment) = 0;
    virtual void check() const = 0;
};

// The server's resident memory must not grow beyond what the stored events explain, once warmed
// up (docs/testing.md, "Soak"):
//   unexplained = RSS(end) - RSS(warm) - (data(end) - data(warm)) - kPerEvent * (events(end) -
//                 events(warm))  <=  kSlack
// where data is the events' counted bytes and warm is the first sample after the warm-up.
class RssProbe : public Probe {
public:
    static constexpr std::chrono::seconds kWarmUp{15};
    // What the memory backend keeps per event beyond its bytes: the StoredEvent with its
    // ready-made es_recorded_event, the id index node, the stream and log entries, and malloc's
    // headers on the event's buffer. Measured: 366 bytes (docs/testing.md); this leaves 20%.
    static constexpr uint64_t kPerEvent = 448;
    static constexpr uint64_t kSlack = 24u << 20;

    explicit RssProbe(int pid) : pid_(pid) {}
    void sample(const Moment& moment) override;
    void check() const override;

private:
    struct Sample {
        Moment moment;
        uint64_t rss;
    };
    int pid_;
    std::vector<Sample> samples_;
};

// The server's /metrics page (metrics.listen), scraped at each sample: every scrape answers 200,
// eventstore_appended_events_total never goes back, is never below the events acknowledged before
// the scrape (the server counts an append before it answers it), and grows over the run; and
// eventstore_live_subscriptions shows the subscribers once they have joined.
class MetricsProbe : public Probe {
public:
    explicit MetricsProbe(uint16_t port) : port_(port) {}
    void sample(const Moment& moment) override;
    void check() const override;

private:
    struct Sample {
        Moment moment;
        int status;
        double appended;  // eventstore_appended_events_total
        double live;      // eventstore_live_subscriptions
    };
    uint16_t port_;
    std::vector<Sample> samples_;
};

// The resident set size of a process, in bytes (VmRSS of /proc/<pid>/status); 0 if unreadable.
uint64_t resident_bytes(int pid);

}  // namespace eventstore::test::soak

#endif
