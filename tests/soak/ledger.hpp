// ledger.hpp: what the soak's clients saw: every acknowledged event (from the writers) and every
// error or broken rule (from any client). Thread-safe.
#ifndef EVENTSTORE_TESTS_SOAK_LEDGER_HPP
#define EVENTSTORE_TESTS_SOAK_LEDGER_HPP

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace eventstore::test::soak {

// One event the server acknowledged: where the append's response placed it.
struct Acknowledged {
    std::string event_id;
    std::string stream_id;
    uint64_t stream_version = 0;
    uint64_t global_position = 0;
    uint64_t bytes = 0;  // as validation::event_size counts it
};

class Ledger {
public:
    void acknowledge(std::vector<Acknowledged> events);
    // A failed call or a rule a response broke, in words.
    void error(std::string what);
    // Calls that succeeded, of any kind.
    void count_call();

    std::vector<Acknowledged> acknowledged() const;
    std::vector<std::string> errors() const;
    uint64_t acknowledged_count() const;
    uint64_t acknowledged_bytes() const;
    uint64_t calls() const;

private:
    mutable std::mutex mutex_;
    std::vector<Acknowledged> acknowledged_;
    std::vector<std::string> errors_;
    uint64_t bytes_ = 0;
    uint64_t calls_ = 0;
};

}  // namespace eventstore::test::soak

#endif
