#include "fixture.hpp"

namespace eventstore::conformance {

void ConformanceTest::SetUp() {
    auto opened = open_backend();
    ASSERT_TRUE(opened.ok()) << "cannot open a store: " << code_name(opened.status().code())
                             << ": " << opened.status().message();
    backend_ = std::move(opened.value());
}

AppendOutcome ConformanceTest::append_ok(const std::string& stream_id,
                                         const std::vector<EventData>& events, Expected expected) {
    AppendOutcome outcome = backend().append(stream_id, expected, events);
    EXPECT_TRUE(IsOk(outcome.status)) << "append of " << events.size() << " events to "
                                      << stream_id;
    return outcome;
}

std::vector<RecordedEvent> ConformanceTest::whole_stream(const std::string& stream_id) {
    auto events = read_whole_stream(backend(), stream_id);
    EXPECT_TRUE(IsOk(events.ok() ? Status() : events.status())) << "reading stream " << stream_id;
    return events.ok() ? std::move(events.value()) : std::vector<RecordedEvent>{};
}

std::vector<RecordedEvent> ConformanceTest::whole_namespace() {
    auto events = read_all_with_prefix(backend(), prefix_);
    EXPECT_TRUE(IsOk(events.ok() ? Status() : events.status()))
        << "read_all with prefix " << prefix_;
    return events.ok() ? std::move(events.value()) : std::vector<RecordedEvent>{};
}

::testing::AssertionResult ConformanceTest::StreamHolds(const std::string& stream_id,
                                                        const std::vector<std::string>& ids) {
    if (ids.empty()) {
        const StreamPage page = backend().read_stream(stream_id, 0, 0, true);
        if (auto missing = HasCode(page.status, Code::not_found); !missing) {
            return missing << "; reading stream " << stream_id << ", which should not exist ("
                           << page.events.size() << " events read)";
        }
        return ::testing::AssertionSuccess();
    }
    auto events = read_whole_stream(backend(), stream_id);
    if (!events.ok()) return IsOk(events.status()) << "; reading stream " << stream_id;
    if (auto same = SameIds(ids, ids_of(events.value())); !same) {
        return same << " (stream " << stream_id << ")";
    }
    for (size_t i = 0; i < events.value().size(); ++i) {
        if (events.value()[i].stream_version != i + 1) {
            return ::testing::AssertionFailure()
                   << "stream " << stream_id << ": event " << i << " has version "
                   << events.value()[i].stream_version << ", expected " << i + 1;
        }
    }
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult ConformanceTest::NamespaceHolds(const std::vector<std::string>& ids) {
    auto events = read_all_with_prefix(backend(), prefix_);
    if (!events.ok()) return IsOk(events.status()) << "; read_all with prefix " << prefix_;
    return SameIds(ids, ids_of(events.value())) << " (read_all with prefix " << prefix_ << ")";
}

void AbiConformanceTest::SetUp() {
    if (!subject().abi()) GTEST_SKIP() << "a check of the C ABI: not run over --target";
    auto opened = open_abi_backend();
    ASSERT_TRUE(opened.ok()) << "cannot open a store: " << code_name(opened.status().code())
                             << ": " << opened.status().message();
    abi_ = opened.value().get();
    backend_ = std::move(opened.value());
}

void LifecycleTest::SetUp() {
    ConformanceTest::SetUp();
    if (HasFatalFailure()) return;
    if (subject().abi()) {
        if (!subject().plugin->has_stream_lifecycle()) GTEST_SKIP() << kNoLifecycle;
        return;
    }
    // Over gRPC: the server answers UNIMPLEMENTED for a backend without the lifecycle.
    const StateOutcome probe = backend().stream_state(stream("probe"));
    if (probe.status.code() == Code::unimplemented) {
        GTEST_SKIP() << kNoLifecycle << " (the server answers UNIMPLEMENTED)";
    }
}

}  // namespace eventstore::conformance
