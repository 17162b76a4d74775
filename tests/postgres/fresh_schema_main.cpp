// The main of postgres_server_tests: the server's own suites (tests/server), run against the
// postgres plugin. They expect a fresh store for each test, so before each test the plugin's
// default schema is dropped; the store the test opens migrates it anew.
#include <gtest/gtest.h>

#include "pg_test_support.hpp"

namespace {

class FreshSchema : public ::testing::EmptyTestEventListener {
    void OnTestStart(const ::testing::TestInfo&) override {
        eventstore::test::sql("DROP SCHEMA IF EXISTS eventstore CASCADE");
    }
};

}  // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::UnitTest::GetInstance()->listeners().Append(new FreshSchema);
    return RUN_ALL_TESTS();
}
