// A backend's status reaches the client with its code and message; INTERNAL carries an id that the
// server log repeats. The backends here are the plain-C fixtures of tests/fixtures.
#include "test_server.hpp"

namespace eventstore::test {
namespace {

class ErrorMappingTest : public ServerTest {
protected:
    void SetUp() override {}
};

TEST_F(ErrorMappingTest, GivenABackendThatLacksAnOperation_WhenCalled_ThenUnimplementedWithItsMessage) {
    start("", FIXTURE_VALID);
    const grpc::Status append_status = append("S", {make_event()});
    EXPECT_EQ(append_status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
    EXPECT_EQ(append_status.error_message(), "fixture: append is not implemented");
    v1::ReadStreamResponse page;
    EXPECT_EQ(read_stream("S", 0, 0, true, &page).error_code(), grpc::StatusCode::UNIMPLEMENTED);
    v1::ReadAllResponse all;
    EXPECT_EQ(read_all(0, 0, "", &all).error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(ErrorMappingTest, GivenABackendThatCannotReachItsStorage_WhenCalled_ThenUnavailable) {
    start("", FIXTURE_DATA_UNAVAILABLE);
    EXPECT_EQ(append("S", {make_event()}).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(ErrorMappingTest, GivenABackendBug_WhenCalled_ThenInternalWithAnIdForTheLog) {
    start("", FIXTURE_DATA_INTERNAL);
    const grpc::Status status = append("S", {make_event()});
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
    EXPECT_EQ(status.error_message().rfind("internal error ", 0), 0u) << status.error_message();
    EXPECT_NE(status.error_message().find("(the server log has the details): fixture: append"),
              std::string::npos)
        << status.error_message();
}

TEST_F(ErrorMappingTest, GivenInvalidInput_WhenTheBackendWouldFail_ThenNothingReachedTheBackend) {
    start("", FIXTURE_DATA_INTERNAL);
    EXPECT_EQ(append("", {make_event()}).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace eventstore::test
