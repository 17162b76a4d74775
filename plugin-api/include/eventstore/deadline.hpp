// eventstore/deadline.hpp: a call's deadline as plugin.h's `timeout_us` carries it (plugin.h,
// "Deadlines"), on the steady clock. The host turns a client's deadline into timeout_us with it; a
// C++ plugin turns timeout_us back into a point in time it can wait until. C++17, header-only.
#ifndef EVENTSTORE_DEADLINE_HPP
#define EVENTSTORE_DEADLINE_HPP

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

namespace eventstore {

class Deadline {
public:
    using Clock = std::chrono::steady_clock;

    // No deadline: the call may take as long as it takes.
    Deadline() = default;
    static Deadline at(Clock::time_point when) { return Deadline(when); }
    // The deadline of a call made now with `timeout_us` (0: none).
    static Deadline from_timeout_us(uint64_t timeout_us) {
        if (timeout_us == 0) return {};
        return Deadline(Clock::now() + std::chrono::microseconds(timeout_us));
    }

    bool none() const { return !when_.has_value(); }
    // The point in time; empty for no deadline.
    std::optional<Clock::time_point> when() const { return when_; }
    bool passed() const { return when_.has_value() && Clock::now() >= *when_; }

    // The point to wait until for something that may take at most `limit`: now + limit, or the
    // deadline when it comes first.
    Clock::time_point within(Clock::duration limit) const {
        const Clock::time_point by_limit = Clock::now() + limit;
        return when_.has_value() ? std::min(*when_, by_limit) : by_limit;
    }

    // Time left, at least zero; `otherwise` when there is no deadline.
    Clock::duration left_or(Clock::duration otherwise) const {
        if (!when_.has_value()) return otherwise;
        return std::max(Clock::duration::zero(), *when_ - Clock::now());
    }

    // The timeout_us to hand on: the time left, at least 1 (0 would mean "none"), or 0 for none.
    uint64_t timeout_us() const {
        if (!when_.has_value()) return 0;
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(*when_ - Clock::now());
        return static_cast<uint64_t>(std::max<int64_t>(left.count(), 1));
    }

    // The earlier and the later of two deadlines; no deadline is later than any.
    static Deadline earlier(const Deadline& a, const Deadline& b) {
        if (a.none()) return b;
        if (b.none()) return a;
        return Deadline(std::min(*a.when_, *b.when_));
    }
    static Deadline later(const Deadline& a, const Deadline& b) {
        if (a.none() || b.none()) return {};
        return Deadline(std::max(*a.when_, *b.when_));
    }

private:
    explicit Deadline(Clock::time_point when) : when_(when) {}
    std::optional<Clock::time_point> when_;
};

}  // namespace eventstore

#endif
