// metrics.hpp: the Prometheus text exposition format (version 0.0.4) in one small file: counters,
// gauges and histograms with fixed buckets. Recording is one or two relaxed atomic additions, no
// lock and no allocation, so it can sit on every request. Debian bookworm has no prometheus-cpp
// package, and this is all of it the server needs (docs/operations.md).
#ifndef EVENTSTORE_SERVER_METRICS_HPP
#define EVENTSTORE_SERVER_METRICS_HPP

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace eventstore::server::metrics {

class Counter {
public:
    void add(uint64_t amount = 1) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
    uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<uint64_t> value_{0};
};

class Gauge {
public:
    void add(int64_t amount) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
    int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<int64_t> value_{0};
};

// `Buckets` gives `bounds` (ascending upper bounds, in whole units, e.g. microseconds) and
// `scale` (units per exposed unit, e.g. 1e6 to expose seconds).
template <class Buckets>
class Histogram {
public:
    static constexpr size_t kBuckets = Buckets::bounds.size() + 1;  // the last is +Inf

    void observe(uint64_t value) noexcept {
        const auto bucket = std::lower_bound(Buckets::bounds.begin(), Buckets::bounds.end(), value) -
                            Buckets::bounds.begin();
        counts_[bucket].fetch_add(1, std::memory_order_relaxed);
        sum_.fetch_add(value, std::memory_order_relaxed);
    }
    // Non-cumulative count of bucket `i`.
    uint64_t count(size_t i) const noexcept { return counts_[i].load(std::memory_order_relaxed); }
    uint64_t sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

private:
    std::array<std::atomic<uint64_t>, kBuckets> counts_{};
    std::atomic<uint64_t> sum_{0};
};

// Builds the text of one scrape. Families are written as HELP, TYPE, then their samples.
class Exposition {
public:
    void family(std::string_view name, std::string_view type, std::string_view help);
    // `labels` is the inside of the braces (`rpc="Append",code="OK"`), or empty.
    void sample(std::string_view name, std::string_view labels, double value);

    template <class Buckets>
    void histogram(std::string_view name, std::string_view labels, const Histogram<Buckets>& h) {
        const std::string bucket = std::string(name) + "_bucket";
        const std::string prefix = labels.empty() ? "" : std::string(labels) + ",";
        uint64_t cumulative = 0;
        for (size_t i = 0; i < Histogram<Buckets>::kBuckets; ++i) {
            cumulative += h.count(i);
            const std::string le = i < Buckets::bounds.size()
                                       ? number(static_cast<double>(Buckets::bounds[i]) / Buckets::scale)
                                       : "+Inf";
            sample(bucket, prefix + "le=\"" + le + "\"", static_cast<double>(cumulative));
        }
        sample(std::string(name) + "_sum", labels, static_cast<double>(h.sum()) / Buckets::scale);
        sample(std::string(name) + "_count", labels, static_cast<double>(cumulative));
    }

    const std::string& text() const { return text_; }

private:
    static std::string number(double value);
    std::string text_;
};

}  // namespace eventstore::server::metrics

#endif
