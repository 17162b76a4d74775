#include "probes.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>

#include <gtest/gtest.h>

#include "http_get.hpp"

namespace eventstore::test::soak {

uint64_t resident_bytes(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // in kB
    }
    return 0;
}

void RssProbe::sample(const Moment& moment) { samples_.push_back({moment, resident_bytes(pid_)}); }

void RssProbe::check() const {
    const auto warm = std::find_if(samples_.begin(), samples_.end(),
                                   [](const Sample& s) { return s.moment.elapsed >= kWarmUp; });
    ASSERT_NE(warm, samples_.end()) << "the soak ended before its warm-up did";
    const Sample& end = samples_.back();
    const auto mib = [](double bytes) { return bytes / (1 << 20); };
    const double grown = static_cast<double>(end.rss) - static_cast<double>(warm->rss);
    const double data = static_cast<double>(end.moment.bytes - warm->moment.bytes);
    const double events = static_cast<double>(end.moment.events - warm->moment.events);
    const double unexplained = grown - data - kPerEvent * events;
    std::cout << "rss: " << mib(warm->rss) << " MiB after warm-up, " << mib(end.rss)
              << " MiB at the end; " << events << " events (" << mib(data)
              << " MiB of data) stored meanwhile; unexplained growth " << mib(unexplained)
              << " MiB (limit " << mib(kSlack) << "); "
              << (events > 0 ? (grown - data) / events : 0) << " bytes per event beyond its data"
              << std::endl;
    EXPECT_LE(unexplained, static_cast<double>(kSlack));
}

void MetricsProbe::sample(const Moment& moment) {
    const HttpResponse page = http_get(port_, "/metrics");
    const auto metrics = parse_metrics(page.status == 200 ? page.body : "");
    const auto value = [&](const std::string& name) {
        const auto found = metrics.find(name);
        return found == metrics.end() ? -1.0 : found->second;
    };
    samples_.push_back({moment, page.status, value("eventstore_appended_events_total"),
                        value("eventstore_live_subscriptions")});
}

void MetricsProbe::check() const {
    ASSERT_GE(samples_.size(), 2u) << "the soak ended before /metrics was scraped twice";
    double most_live = 0;
    for (size_t i = 0; i < samples_.size(); ++i) {
        const Sample& s = samples_[i];
        ASSERT_EQ(s.status, 200) << "scrape " << i;
        EXPECT_GE(s.appended, static_cast<double>(s.moment.events)) << "scrape " << i;
        if (i > 0) {
            EXPECT_GE(s.appended, samples_[i - 1].appended) << "scrape " << i;
        }
        most_live = std::max(most_live, s.live);
    }
    const Sample& first = samples_.front();
    const Sample& last = samples_.back();
    std::cout << "metrics: eventstore_appended_events_total " << first.appended << " -> "
              << last.appended << " over " << samples_.size() << " scrapes; at most " << most_live
              << " live subscriptions" << std::endl;
    EXPECT_GT(last.appended, first.appended);
    EXPECT_GT(most_live, 0);
}

}  // namespace eventstore::test::soak
