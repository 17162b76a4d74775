#include "ledger.hpp"

namespace eventstore::test::soak {

void Ledger::acknowledge(std::vector<Acknowledged> events) {
    std::lock_guard lock(mutex_);
    for (auto& event : events) {
        bytes_ += event.bytes;
        acknowledged_.push_back(std::move(event));
    }
}

void Ledger::error(std::string what) {
    std::lock_guard lock(mutex_);
    errors_.push_back(std::move(what));
}

void Ledger::count_call() {
    std::lock_guard lock(mutex_);
    ++calls_;
}

std::vector<Acknowledged> Ledger::acknowledged() const {
    std::lock_guard lock(mutex_);
    return acknowledged_;
}

std::vector<std::string> Ledger::errors() const {
    std::lock_guard lock(mutex_);
    return errors_;
}

uint64_t Ledger::acknowledged_count() const {
    std::lock_guard lock(mutex_);
    return acknowledged_.size();
}

uint64_t Ledger::acknowledged_bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

uint64_t Ledger::calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
}

}  // namespace eventstore::test::soak
