#include "verdict.hpp"

namespace eventstore::conformance {

void VerdictListener::OnTestEnd(const ::testing::TestInfo& info) {
    const std::string name = std::string(info.test_suite_name()) + "." + info.name();
    const ::testing::TestResult& result = *info.result();
    if (result.Failed()) {
        failed_.push_back(name);
    } else if (result.Skipped()) {
        skipped_.push_back(name);
        std::string reason;
        for (int i = 0; i < result.total_part_count(); ++i) {
            if (result.GetTestPartResult(i).skipped()) reason = result.GetTestPartResult(i).message();
        }
        ++skip_reasons_[reason.empty() ? "no reason given" : reason];
    } else {
        ++passed_;
    }
}

void VerdictListener::OnTestProgramEnd(const ::testing::UnitTest& unit_test) {
    if (unit_test.ad_hoc_test_result().Failed()) failed_.push_back("(outside any check)");
}

std::string VerdictListener::verdict(const std::string& name, const std::string& version) const {
    const size_t total = passed_ + failed_.size();
    if (conformant()) {
        return "CONFORMANT: " + name + " " + version + " passed " + std::to_string(passed_) +
               " of " + std::to_string(total) + " checks";
    }
    std::string names;
    for (const std::string& failed : failed_) names += (names.empty() ? "" : ", ") + failed;
    if (total == 0) names = "no check ran (see --gtest_filter)";
    return "NOT CONFORMANT: " + name + " failed " + std::to_string(failed_.size()) + " of " +
           std::to_string(total) + " checks: " + names;
}

}  // namespace eventstore::conformance
