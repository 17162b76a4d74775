#include "figures.hpp"

#include <algorithm>
#include <cmath>

namespace eventstore::bench {

std::optional<double> percentile_ms(Latencies& latencies, double p) {
    if (latencies.empty()) return std::nullopt;
    const auto rank = static_cast<size_t>(std::ceil(p / 100 * latencies.size()));
    const size_t index = std::clamp<size_t>(rank, 1, latencies.size()) - 1;
    std::nth_element(latencies.begin(), latencies.begin() + index, latencies.end());
    return latencies[index] / 1000.0;
}

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

void RunFigures::summarise(Latencies& latencies) {
    p50_ms = percentile_ms(latencies, 50);
    p99_ms = percentile_ms(latencies, 99);
    p999_ms = percentile_ms(latencies, 99.9);
}

Medians medians(const std::vector<RunFigures>& runs) {
    Medians m;
    const auto of = [&](auto figure) {
        std::vector<double> values;
        for (const RunFigures& run : runs) values.push_back(figure(run));
        return median(values);
    };
    const auto of_optional = [&](auto member) -> std::optional<double> {
        std::vector<double> values;
        for (const RunFigures& run : runs) {
            if (run.*member) values.push_back(*(run.*member));
        }
        if (values.empty()) return std::nullopt;
        return median(values);
    };
    m.calls_per_s = of([](const RunFigures& r) { return r.calls_per_s(); });
    m.events_per_s = of([](const RunFigures& r) { return r.events_per_s(); });
    m.p50_ms = of_optional(&RunFigures::p50_ms);
    m.p99_ms = of_optional(&RunFigures::p99_ms);
    m.p999_ms = of_optional(&RunFigures::p999_ms);
    for (const RunFigures& run : runs) {
        for (const auto& [key, value] : run.extra) m.extra.emplace(key, 0);
    }
    for (auto& [key, value] : m.extra) {
        std::vector<double> values;
        for (const RunFigures& run : runs) {
            if (auto it = run.extra.find(key); it != run.extra.end()) values.push_back(it->second);
        }
        value = median(values);
    }
    return m;
}

}  // namespace eventstore::bench
