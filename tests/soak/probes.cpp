#include "probes.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>

#include <gtest/gtest.h>

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

}  // namespace eventstore::test::soak
