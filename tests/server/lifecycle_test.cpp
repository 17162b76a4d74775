// The stream lifecycle through the server (docs/contract.md, "Stream lifecycle"): what each call
// answers, the StreamDeleted and WrongExpectedVersion details, retention's validation, a backend
// without the lifecycle, and subscribers that join after a delete. The backend rules themselves
// are the conformance suite's (conformance/checks/lifecycle.cpp); here the memory plugin serves.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "google/rpc/status.pb.h"
#include "subscriber.hpp"
#include "test_server.hpp"

namespace eventstore::test {
namespace {

using namespace std::chrono_literals;

// The StreamDeleted detail of an error (fails the test when absent).
v1::StreamDeleted stream_deleted(const grpc::Status& status) {
    v1::StreamDeleted detail;
    google::rpc::Status rich;
    EXPECT_TRUE(rich.ParseFromString(status.error_details())) << status.error_message();
    EXPECT_EQ(rich.details_size(), 1);
    if (rich.details_size() == 1) EXPECT_TRUE(rich.details(0).UnpackTo(&detail)) << rich.details(0).type_url();
    return detail;
}

class LifecycleTest : public ServerTest {
protected:
    grpc::Status delete_stream(const std::string& stream, const v1::ExpectedVersion& expected = {},
                               v1::StreamState* state = nullptr) {
        v1::DeleteStreamRequest request;
        request.set_stream_id(stream);
        *request.mutable_expected_version() = expected;
        v1::StreamState response;
        return stub_->DeleteStream(context_with_deadline().get(), request, state ? state : &response);
    }
    grpc::Status tombstone(const std::string& stream, v1::StreamState* state = nullptr) {
        v1::TombstoneStreamRequest request;
        request.set_stream_id(stream);
        v1::StreamState response;
        return stub_->TombstoneStream(context_with_deadline().get(), request, state ? state : &response);
    }
    grpc::Status state_of(const std::string& stream, v1::StreamState* state) {
        v1::GetStreamStateRequest request;
        request.set_stream_id(stream);
        return stub_->GetStreamState(context_with_deadline().get(), request, state);
    }
    grpc::Status set_retention(const std::string& stream, uint64_t max_count, int64_t seconds,
                               int32_t nanos, v1::StreamState* state) {
        v1::SetStreamRetentionRequest request;
        request.set_stream_id(stream);
        request.mutable_retention()->set_max_count(max_count);
        request.mutable_retention()->mutable_max_age()->set_seconds(seconds);
        request.mutable_retention()->mutable_max_age()->set_nanos(nanos);
        return stub_->SetStreamRetention(context_with_deadline().get(), request, state);
    }
};

TEST_F(LifecycleTest, GivenADeletedStream_WhenReadAndAppendedTo_ThenNotFoundAndTheVersionsContinue) {
    append_n("order-1", 2);
    v1::StreamState state;
    ASSERT_TRUE(delete_stream("order-1", expect_exact(2), &state).ok());
    EXPECT_EQ(state.stream_id(), "order-1");
    EXPECT_EQ(state.last_version(), 2u);
    EXPECT_EQ(state.truncate_before(), 3u);
    EXPECT_TRUE(state.deleted());
    EXPECT_FALSE(state.tombstoned());
    v1::ReadStreamResponse page;
    EXPECT_EQ(read_stream("order-1", 0, 0, true, &page).error_code(), grpc::StatusCode::NOT_FOUND);

    v1::AppendResponse appended;
    ASSERT_TRUE(append("order-1", {make_event()}, expect_any(), &appended).ok());
    EXPECT_EQ(appended.current_version(), 3u);
    const auto events = whole_stream("order-1");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].stream_version(), 3u);
    ASSERT_TRUE(state_of("order-1", &state).ok());
    EXPECT_FALSE(state.deleted());
}

TEST_F(LifecycleTest, GivenAWrongExpectedVersion_WhenDeleting_ThenWrongExpectedVersionWithTheActual) {
    append_n("order-1", 2);
    const grpc::Status status = delete_stream("order-1", expect_exact(1));
    ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
    const v1::WrongExpectedVersion detail = wrong_expected_version(status);
    EXPECT_EQ(detail.stream_id(), "order-1");
    EXPECT_EQ(detail.expected().exact(), 1u);
    EXPECT_EQ(detail.actual_version(), 2u);
    EXPECT_EQ(whole_stream("order-1").size(), 2u);
}

TEST_F(LifecycleTest, GivenATombstonedStream_WhenAppendedToReadOrDeleted_ThenStreamDeletedEachTime) {
    append_n("order-1", 1);
    v1::StreamState state;
    ASSERT_TRUE(tombstone("order-1", &state).ok());
    EXPECT_TRUE(state.tombstoned());

    const grpc::Status appended = append("order-1", {make_event()});
    ASSERT_EQ(appended.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << appended.error_message();
    EXPECT_EQ(stream_deleted(appended).stream_id(), "order-1");
    EXPECT_NE(appended.error_message().find("tombstoned"), std::string::npos) << appended.error_message();

    v1::ReadStreamResponse page;
    const grpc::Status read = read_stream("order-1", 0, 0, true, &page);
    ASSERT_EQ(read.error_code(), grpc::StatusCode::NOT_FOUND) << read.error_message();
    EXPECT_EQ(stream_deleted(read).stream_id(), "order-1");

    const grpc::Status again = delete_stream("order-1");
    ASSERT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << again.error_message();
    EXPECT_EQ(stream_deleted(again).stream_id(), "order-1");
}

TEST_F(LifecycleTest, GivenAStreamThatNeverExisted_WhenDeletedOrAskedFor_ThenNotFoundWithoutDetail) {
    EXPECT_EQ(delete_stream("nothing-here").error_code(), grpc::StatusCode::NOT_FOUND);
    v1::StreamState state;
    EXPECT_EQ(state_of("nothing-here", &state).error_code(), grpc::StatusCode::NOT_FOUND);
    v1::ReadStreamResponse page;
    const grpc::Status read = read_stream("nothing-here", 0, 0, true, &page);
    EXPECT_EQ(read.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_TRUE(read.error_details().empty());
}

TEST_F(LifecycleTest, GivenARetention_WhenSetAndReadBack_ThenTheSameLimitsInWholeMicroseconds) {
    append_n("metrics-1", 1);
    v1::StreamState state;
    ASSERT_TRUE(set_retention("metrics-1", 10, 90, 500'000'999, &state).ok());
    EXPECT_EQ(state.retention().max_count(), 10u);
    EXPECT_EQ(state.retention().max_age().seconds(), 90);
    EXPECT_EQ(state.retention().max_age().nanos(), 500'000'000);
    ASSERT_TRUE(state_of("metrics-1", &state).ok());
    EXPECT_EQ(state.retention().max_count(), 10u);
    EXPECT_EQ(state.retention().max_age().seconds(), 90);
}

TEST_F(LifecycleTest, GivenAnUnusableMaxAge_WhenSettingRetention_ThenInvalidArgumentNamingIt) {
    append_n("metrics-1", 1);
    v1::StreamState state;
    for (const auto& [seconds, nanos] : {std::pair<int64_t, int32_t>{-1, 0}, {0, 999}, {0, -5}}) {
        const grpc::Status status = set_retention("metrics-1", 0, seconds, nanos, &state);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << seconds << "s " << nanos;
        EXPECT_NE(status.error_message().find("max_age"), std::string::npos) << status.error_message();
    }
}

TEST_F(LifecycleTest, GivenAnInvalidStreamId_WhenDeleting_ThenInvalidArgumentAndNothingReachedTheBackend) {
    EXPECT_EQ(delete_stream("").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(delete_stream(std::string(300, 's')).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(LifecycleTest, GivenABackendWithoutTheLifecycle_WhenDeleting_ThenUnimplementedNamingItsAbi) {
    start("", MEMORY_ABI_1_0_PLUGIN_PATH);
    append_n("order-1", 1);
    const grpc::Status status = delete_stream("order-1");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
    EXPECT_NE(status.error_message().find("(ABI 1.0) has no stream lifecycle"), std::string::npos)
        << status.error_message();
    EXPECT_EQ(whole_stream("order-1").size(), 1u);
    v1::StreamState state;
    EXPECT_EQ(state_of("order-1", &state).error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

// A live subscriber keeps the tail reading; a second one that subscribes from the start after the
// delete must not be handed the removed events, from the backend or from the tail's recent pages.
TEST_F(LifecycleTest, GivenADeleteWhileATailIsLive_WhenANewSubscriberCatchesUp_ThenNoRemovedEvent) {
    Subscriber live(*stub_, 0);
    append_n("order-1", 3);
    ASSERT_EQ(live.events(3).size(), 3u);
    ASSERT_TRUE(delete_stream("order-1").ok());
    append_n("order-2", 1);
    ASSERT_EQ(live.events(1)[0].stream_id(), "order-2");

    Subscriber joining(*stub_, 0);
    const auto events = joining.events(1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].stream_id(), "order-2");
    append_n("order-3", 1);
    EXPECT_EQ(joining.events(1)[0].stream_id(), "order-3");
}

// 32 threads on one stream through the server: 16 append, 8 read (each read after a change it made
// itself must not see a removed version), 8 delete or truncate; a live subscriber and a ReadAll
// reader run alongside. Afterwards every acknowledged version is unique, the stream reads exactly
// the acknowledged versions at or above its truncate_before, and ReadAll agrees. Run under TSan by
// scripts/sanitize.sh.
TEST_F(LifecycleTest, Given32ThreadsAppendingReadingAndDeletingOneStream_WhenDone_ThenNoVersionReusedAndReadsAgree) {
    constexpr int kAppenders = 16, kReaders = 8, kChangers = 8;
    constexpr auto kDuration = std::chrono::milliseconds(1500);
    const std::string stream = "hot-1";
    Subscriber live(*stub_, 0);
    std::mutex mutex;
    std::vector<uint64_t> acknowledged;  // every version an append was acknowledged with
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kAppenders; ++t) {
        threads.emplace_back([&] {
            auto stub = v1::EventStore::NewStub(channel_);
            while (!stop) {
                v1::AppendRequest request;
                request.set_stream_id(stream);
                *request.add_events() = make_event();
                *request.add_events() = make_event();
                v1::AppendResponse response;
                const grpc::Status status = stub->Append(context_with_deadline().get(), request, &response);
                if (!status.ok()) {
                    ++failures;
                    continue;
                }
                std::lock_guard lock(mutex);
                acknowledged.push_back(response.current_version() - 1);
                acknowledged.push_back(response.current_version());
            }
        });
    }
    for (int t = 0; t < kChangers; ++t) {
        threads.emplace_back([&, t] {
            auto stub = v1::EventStore::NewStub(channel_);
            while (!stop) {
                v1::StreamState state;
                grpc::Status status;
                if (t % 2 == 0) {
                    v1::DeleteStreamRequest request;
                    request.set_stream_id(stream);
                    status = stub->DeleteStream(context_with_deadline().get(), request, &state);
                } else {
                    v1::GetStreamStateRequest read;
                    read.set_stream_id(stream);
                    v1::StreamState now;
                    if (!stub->GetStreamState(context_with_deadline().get(), read, &now).ok()) continue;
                    v1::TruncateStreamRequest request;
                    request.set_stream_id(stream);
                    request.set_before_version(now.last_version());
                    status = stub->TruncateStream(context_with_deadline().get(), request, &state);
                }
                if (status.error_code() == grpc::StatusCode::NOT_FOUND) continue;  // nothing yet
                if (!status.ok()) {
                    ++failures;
                    continue;
                }
                // A read after the change returned sees nothing below its truncate_before.
                v1::ReadStreamResponse page;
                const grpc::Status read = test::read_stream(*stub, stream, 0, 1000, true, &page);
                for (const auto& event : page.events()) {
                    if (event.stream_version() < state.truncate_before()) ++failures;
                }
                if (!read.ok() && read.error_code() != grpc::StatusCode::NOT_FOUND) ++failures;
            }
        });
    }
    for (int t = 0; t < kReaders; ++t) {
        threads.emplace_back([&, t] {
            auto stub = v1::EventStore::NewStub(channel_);
            while (!stop) {
                v1::ReadStreamResponse page;
                const grpc::Status status = test::read_stream(*stub, stream, 0, 1000, t % 2 == 0, &page);
                if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) ++failures;
                for (int i = 1; i < page.events_size(); ++i) {
                    const uint64_t before = page.events(i - 1).stream_version();
                    const uint64_t now = page.events(i).stream_version();
                    if (now != (t % 2 == 0 ? before + 1 : before - 1)) ++failures;
                }
            }
        });
    }
    std::this_thread::sleep_for(kDuration);
    stop = true;
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);

    std::sort(acknowledged.begin(), acknowledged.end());
    ASSERT_FALSE(acknowledged.empty());
    EXPECT_EQ(std::adjacent_find(acknowledged.begin(), acknowledged.end()), acknowledged.end())
        << "a version was acknowledged twice";
    v1::StreamState state;
    ASSERT_TRUE(state_of(stream, &state).ok());
    EXPECT_EQ(state.last_version(), acknowledged.back());
    std::vector<uint64_t> expected;
    for (const uint64_t version : acknowledged) {
        if (version >= state.truncate_before()) expected.push_back(version);
    }
    std::vector<uint64_t> read;
    for (const auto& event : whole_stream(stream)) read.push_back(event.stream_version());
    EXPECT_EQ(read, expected);
    std::vector<uint64_t> logged;
    for (uint64_t after = 0;;) {
        v1::ReadAllResponse page;
        ASSERT_TRUE(read_all(after, 1000, stream, &page).ok());
        for (const auto& event : page.events()) logged.push_back(event.stream_version());
        if (page.reached_head()) break;
        after = page.last_scanned_position();
    }
    EXPECT_EQ(logged, expected);
}

}  // namespace
}  // namespace eventstore::test
