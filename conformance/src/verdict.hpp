// verdict.hpp: collects every check's outcome as GoogleTest runs them and turns them into the
// suite's one-line verdict:
//   CONFORMANT: <plugin> <version> passed N of N checks
//   NOT CONFORMANT: <plugin> failed K of N checks: <Suite.Check>, <Suite.Check>, ...
// A skipped check (an ABI-only check over --target, a capability the plugin does not claim, such
// as the optional stream lifecycle) is not counted: the suite prints each reason with its count,
// and a backend can be CONFORMANT without them. A failure outside any check (in GoogleTest
// itself) fails the verdict too.
#ifndef EVENTSTORE_CONFORMANCE_VERDICT_HPP
#define EVENTSTORE_CONFORMANCE_VERDICT_HPP

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace eventstore::conformance {

class VerdictListener final : public ::testing::EmptyTestEventListener {
public:
    void OnTestEnd(const ::testing::TestInfo& info) override;
    void OnTestProgramEnd(const ::testing::UnitTest& unit_test) override;

    bool conformant() const { return failed_.empty() && passed_ > 0; }
    // The verdict line (no newline).
    std::string verdict(const std::string& name, const std::string& version) const;
    const std::vector<std::string>& skipped() const { return skipped_; }
    // Why checks were skipped (each skip's message) -> how many.
    const std::map<std::string, size_t>& skip_reasons() const { return skip_reasons_; }

private:
    size_t passed_ = 0;
    std::vector<std::string> failed_;
    std::vector<std::string> skipped_;
    std::map<std::string, size_t> skip_reasons_;
};

}  // namespace eventstore::conformance

#endif
