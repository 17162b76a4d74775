// eventstored's shutdown with a call in flight (issue 22): at SIGTERM an append that waits in the
// database (for a head row the test holds) is not cut off. It completes once the lock is let go,
// within shutdown_grace_ms (the default 5 s), and the server exits as soon as it has, not at the
// end of the grace.
#include <csignal>
#include <iostream>
#include <thread>

#include <gtest/gtest.h>

#include "pg_test_support.hpp"
#include "server_process.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

TEST(ShutdownTest, GivenAnAppendInFlight_WhenSigterm_ThenItCompletesWithinTheGraceAndTheServerExitsRightAfter) {
    TempDir dir;
    const std::string schema = unique_schema("shutdown");
    PostgresServerProcess server(dir, schema);
    auto stub = server.stub();
    LockHolder lock(head_lock(schema));
    v1::AppendRequest request;
    request.set_stream_id("InFlight");
    *request.add_events() = make_event();
    grpc::Status status;
    v1::AppendResponse appended;
    std::thread append([&] { status = stub->Append(context_with_deadline().get(), request, &appended); });
    ASSERT_TRUE(eventually_lock_waiters(1)) << "the append never reached the database";

    server.process().signal(SIGTERM);
    ASSERT_TRUE(server.process().wait_for_log("received SIGTERM", 5s));
    lock.release();
    append.join();
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(appended.current_version(), 1u);
    ASSERT_EQ(server.process().wait_for_exit(10s), std::optional<int>(0)) << server.process().log();
    const auto took = server.process().logged_between("received SIGTERM", "eventstored stopped");
    ASSERT_TRUE(took) << server.process().log();
    std::cout << "shutdown with an append in flight took " << *took * 1000 << " ms\n";
    EXPECT_LT(*took, 2.5) << "the server waited for more than the append";
    EXPECT_EQ(sql("SELECT count(*) FROM " + schema + ".events")[0][0].as<int>(), 1);
}

}  // namespace
}  // namespace eventstore::test
