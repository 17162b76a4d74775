// plugin.h THREADS and lifecycle: one es_store is used by many host threads at once; stores are
// opened and closed many times in one process (the library stays loaded); store_close may come
// while iterators are open: they "stay valid until destroyed (their next may then fail with
// ES_UNAVAILABLE)", and no host callback may be called after store_close returns.
#include "eventstore/abi_struct.hpp"
#include "fixture.hpp"

namespace eventstore::conformance {
namespace {

constexpr int kAppendsPerThread = 50;
constexpr int kCycles = 20;

using Hygiene = AbiConformanceTest;

// Appends two events to `stream_id` of `backend` and expects to read them back.
void expect_usable(Backend& backend, const std::string& stream_id) {
    const std::vector<EventData> events = make_events(2);
    ASSERT_TRUE(IsOk(backend.append(stream_id, Expected::no_stream(), events).status));
    auto read = read_whole_stream(backend, stream_id);
    ASSERT_TRUE(IsOk(read.ok() ? Status() : read.status()));
    EXPECT_TRUE(SameIds(ids_of(events), ids_of(read.value())));
}

// Drains an iterator opened before its store was closed: each next gives the expected event or
// UNAVAILABLE (after which nothing more is asked); nothing else is allowed.
void expect_drains_or_unavailable(loader::Iterator& iterator,
                                  const std::vector<std::string>& expected_ids, size_t taken) {
    es_recorded_event event{};
    for (size_t i = taken;; ++i) {
        const Result<bool> next = iterator.next(event);
        if (!next.ok()) {
            EXPECT_TRUE(HasCode(next.status(), Code::unavailable)) << "next after store_close";
            return;
        }
        if (!next.value()) break;
        ASSERT_LT(i, expected_ids.size()) << "more events than the store held";
        EXPECT_EQ(copy_event(event).data.event_id, expected_ids[i]) << "event " << i;
    }
    const Result<es_page_info> page = iterator.page();
    if (!page.ok()) {
        EXPECT_TRUE(HasCode(page.status(), Code::unavailable)) << "page after close";
    }
}

TEST_F(Hygiene, OneStoreServesManyThreadsAtOnce) {
    run_threads(subject().writers, [&](int thread) {
        const std::string own = stream("t" + std::to_string(thread));
        for (int i = 0; i < kAppendsPerThread; ++i) {
            const EventData event = make_event();
            ASSERT_TRUE(IsOk(backend().append(own, Expected::exact(i), {event}).status));
            const StreamPage last = backend().read_stream(own, 0, 1, false);
            ASSERT_TRUE(IsOk(last.status));
            ASSERT_EQ(ids_of(last.events), std::vector<std::string>{event.event_id});
            ASSERT_TRUE(IsOk(backend().read_all(0, 10, prefix()).status));
        }
    });
    for (int thread = 0; thread < subject().writers; ++thread) {
        EXPECT_EQ(whole_stream(stream("t" + std::to_string(thread))).size(),
                  static_cast<size_t>(kAppendsPerThread));
    }
}

TEST_F(Hygiene, StoresOpenAndCloseRepeatedly) {
    for (int cycle = 0; cycle < kCycles; ++cycle) {
        auto store = open_abi_backend();
        ASSERT_TRUE(store.ok()) << "cycle " << cycle << ": " << store.status().message();
        expect_usable(*store.value(), stream("cycle-" + std::to_string(cycle)));
        ASSERT_FALSE(HasFailure()) << "cycle " << cycle;
    }
}

TEST_F(Hygiene, SeveralStoresOpenAtOnceCloseInAnyOrder) {
    std::vector<std::unique_ptr<AbiBackend>> stores;
    for (int i = 0; i < 3; ++i) {
        auto store = open_abi_backend();
        ASSERT_TRUE(store.ok()) << store.status().message();
        stores.push_back(std::move(store.value()));
        expect_usable(*stores.back(), stream("store-" + std::to_string(i)));
    }
    stores[1].reset();
    expect_usable(*stores[0], stream("after-close-0"));
    expect_usable(*stores[2], stream("after-close-2"));
    stores[0].reset();
    expect_usable(*stores[2], stream("last"));
}

TEST_F(Hygiene, ClosingWithIteratorsOpenIsSafe) {
    const std::vector<EventData> events = make_events(20);
    const std::string s = stream("open");
    append_ok(s, events);
    es_read_stream_request by_stream = abi::make_struct<es_read_stream_request>();
    by_stream.forward = true;
    by_stream.stream_id = abi::bytes(s);
    by_stream.max_count = 20;
    es_read_all_request all = abi::make_struct<es_read_all_request>();
    all.max_count = 20;
    all.stream_prefix = abi::bytes(prefix());
    auto stream_iterator = abi().store().read_stream(by_stream);
    auto all_iterator = abi().store().read_all(all);
    ASSERT_TRUE(stream_iterator.ok() && all_iterator.ok());
    es_recorded_event first{};
    ASSERT_TRUE(stream_iterator.value()->next(first).ok());
    ASSERT_TRUE(all_iterator.value()->next(first).ok());

    const size_t announcements = abi().hooks().count();
    abi().close();
    expect_drains_or_unavailable(*stream_iterator.value(), ids_of(events), 1);
    expect_drains_or_unavailable(*all_iterator.value(), ids_of(events), 1);
    stream_iterator.value().reset();
    all_iterator.value().reset();
    EXPECT_EQ(abi().hooks().count(), announcements) << "a host callback after store_close";
}

}  // namespace
}  // namespace eventstore::conformance
