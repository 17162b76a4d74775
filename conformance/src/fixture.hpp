// fixture.hpp: the base of every check. Each check gets a fresh backend (a new store of the
// plugin, or a new stub on the target's channel) and a fresh stream-id namespace; read-all checks
// look at that namespace only.
//
// Check files alias the fixture once per contract clause, so the clause is the suite name that
// the verdict prints: `using Cas = ConformanceTest; TEST_F(Cas, ...)`.
#ifndef EVENTSTORE_CONFORMANCE_FIXTURE_HPP
#define EVENTSTORE_CONFORMANCE_FIXTURE_HPP

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "abi_backend.hpp"
#include "backend.hpp"
#include "subject.hpp"
#include "support.hpp"

namespace eventstore::conformance {

class ConformanceTest : public ::testing::Test {
protected:
    void SetUp() override;

    Backend& backend() { return *backend_; }
    // A stream id inside this check's namespace.
    std::string stream(const std::string& name) const { return prefix_ + name; }
    const std::string& prefix() const { return prefix_; }

    // Appends and records a failure (naming the code) unless it succeeds.
    AppendOutcome append_ok(const std::string& stream_id, const std::vector<EventData>& events,
                            Expected expected = Expected::any());
    // Every event of a stream / of this check's namespace; a failed read records a failure and
    // gives nothing.
    std::vector<RecordedEvent> whole_stream(const std::string& stream_id);
    std::vector<RecordedEvent> whole_namespace();

    // Success when the stream holds exactly `ids` in version order, 1..n. No ids: the stream must
    // not exist (read_stream NOT_FOUND).
    ::testing::AssertionResult StreamHolds(const std::string& stream_id,
                                           const std::vector<std::string>& ids);
    // Success when read_all over this check's namespace returns exactly `ids`, in that order.
    ::testing::AssertionResult NamespaceHolds(const std::vector<std::string>& ids);

    std::string prefix_ = new_namespace();
    std::unique_ptr<Backend> backend_;
};

// A check that only makes sense through the C ABI (notifications, iterators, store lifecycle,
// raw structs). Over --target it is skipped and not counted.
class AbiConformanceTest : public ConformanceTest {
protected:
    void SetUp() override;

    AbiBackend& abi() { return *abi_; }

    AbiBackend* abi_ = nullptr;  // owned by backend_
};

// A check of the stream lifecycle (plugin.h "Stream lifecycle", ABI 1.5), which is optional: skipped
// and not counted, with kNoLifecycle as the reason, for a plugin that does not name
// ES_CAP_STREAM_LIFECYCLE or a server that answers UNIMPLEMENTED.
class LifecycleTest : public ConformanceTest {
public:
    static constexpr const char* kNoLifecycle =
        "the stream lifecycle is optional (ABI 1.5) and this backend does not name "
        "ES_CAP_STREAM_LIFECYCLE";

protected:
    void SetUp() override;
};

}  // namespace eventstore::conformance

#endif
