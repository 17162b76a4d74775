// Minors across the ABI: a plugin made with plugin.hpp answers each host with the newest minor
// both know (so it loads into older hosts), and the loader serves a plugin of an older minor,
// treating the functions its table lacks as absent (store_health: ready while open).
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "eventstore/append_builder.hpp"
#include "eventstore/loader/plugin.hpp"
#include "eventstore/plugin.hpp"

namespace {

using eventstore::Code;
using eventstore::Result;
using eventstore::Status;
namespace plugin = eventstore::plugin;
namespace loader = eventstore::loader;

// A store whose health answer the test sets; it stores nothing.
class ProbeStore final : public plugin::Store {
public:
    Status append(const es_append_request&, es_append_result&) override {
        return Status(Code::unimplemented, "probe");
    }
    Result<std::unique_ptr<plugin::Iterator>> read_stream(const es_read_stream_request&) override {
        return Status(Code::unimplemented, "probe");
    }
    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request&) override {
        return Status(Code::unimplemented, "probe");
    }
    Status health() override { return answer; }

    static inline Status answer;
};

Result<std::shared_ptr<plugin::Store>> open_probe(const plugin::OpenContext&) {
    return std::shared_ptr<plugin::Store>(std::make_shared<ProbeStore>());
}

}  // namespace

// The entry as any plugin defines it; called directly below, as a host would.
EVENTSTORE_PLUGIN("probe", "1.0.0", 0, open_probe)

namespace {

const es_plugin_api* answer_offer(uint32_t major, uint32_t max_minor) {
    es_host_offer offer = eventstore::abi::make_struct<es_host_offer>();
    offer.abi_major = major;
    offer.abi_min_minor = 0;
    offer.abi_max_minor = max_minor;
    offer.host_version = "test";
    const es_plugin_api* table = nullptr;
    es_error err = eventstore::abi::make_struct<es_error>();
    EXPECT_EQ(eventstore_plugin_entry(&offer, &table, &err), ES_OK);
    return table;
}

// Minors 2 and 3 added request fields only, so 1.1, 1.2 and 1.3 hosts get the table of 1.1's
// size under their own minor; 1.4 added append_async, which a Store-based plugin leaves NULL (the
// host then calls its blocking append on threads of its own); 1.5 (this header's) added
// change_stream and stream_state, NULL for a plugin that does not name ES_CAP_STREAM_LIFECYCLE.
TEST(MinorNegotiation, GivenAHostOfAbi11To15_WhenAnswered_ThenItsMinorAndATableOfThatMinorsSize) {
    static_assert(ES_PLUGIN_ABI_MINOR == 5, "a new minor: answer it here too");
    for (const uint32_t minor : {1u, 2u, 3u, 4u, 5u}) {
        const es_plugin_api* table = answer_offer(ES_PLUGIN_ABI_MAJOR, minor);
        ASSERT_NE(table, nullptr);
        EXPECT_EQ(table->abi_minor, minor);
        EXPECT_EQ(table->struct_size, minor < 4   ? ES_PLUGIN_API_SIZE_1_1
                                      : minor < 5 ? ES_PLUGIN_API_SIZE_1_4
                                                  : sizeof(es_plugin_api));
        EXPECT_NE(table->store_health, nullptr);
        if (minor >= 4) EXPECT_EQ(table->append_async, nullptr);
        if (minor >= 5) {
            EXPECT_EQ(table->change_stream, nullptr);
            EXPECT_EQ(table->stream_state, nullptr);
        }
    }
}

TEST(MinorNegotiation, GivenAHostOfAbi10_WhenAnswered_ThenATableOfThe10SizeAndMinor0) {
    const es_plugin_api* table = answer_offer(ES_PLUGIN_ABI_MAJOR, 0);
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->abi_minor, 0u);
    EXPECT_EQ(table->struct_size, ES_PLUGIN_API_SIZE_1_0);
    EXPECT_NE(table->store_open, nullptr);
    EXPECT_NE(table->iterator_destroy, nullptr);
}

TEST(MinorNegotiation, GivenAHostOfAnotherMajor_WhenAnswered_ThenThePluginsOwnVersion) {
    const es_plugin_api* table = answer_offer(ES_PLUGIN_ABI_MAJOR + 1, 0);
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->abi_major, static_cast<uint32_t>(ES_PLUGIN_ABI_MAJOR));
    EXPECT_EQ(table->abi_minor, static_cast<uint32_t>(ES_PLUGIN_ABI_MINOR));
}

TEST(MinorNegotiation, GivenAStoreThatIsNotHealthy_WhenAsked_ThenItsStatusAndMessageCross) {
    const es_plugin_api* table = answer_offer(ES_PLUGIN_ABI_MAJOR, ES_PLUGIN_ABI_MINOR);
    es_open_params params = eventstore::abi::make_struct<es_open_params>();
    es_store* store = nullptr;
    es_error err = eventstore::abi::make_struct<es_error>();
    ASSERT_EQ(table->store_open(&params, &store, &err), ES_OK) << err.message;

    ProbeStore::answer = Status(Code::unavailable, "cannot reach db:5432");
    EXPECT_EQ(table->store_health(store, &err), ES_UNAVAILABLE);
    EXPECT_STREQ(err.message, "cannot reach db:5432");
    ProbeStore::answer = Status();
    EXPECT_EQ(table->store_health(store, &err), ES_OK);
    table->store_close(store);
}

// Through the loader: the tree's memory plugin (this minor) and the same store built for ABI 1.0.
Result<std::unique_ptr<loader::Store>> open_store(const char* path,
                                                  std::shared_ptr<loader::Plugin>& plugin) {
    class Quiet final : public loader::StoreHooks {
        void log(es_log_level, std::string_view) override {}
        void committed(uint64_t) override {}
    };
    auto loaded = loader::Plugin::load(path, "test");
    if (!loaded.ok()) return loaded.status();
    plugin = loaded.value();
    return plugin->open(loader::OpenOptions{}, std::make_shared<Quiet>());
}

TEST(MinorNegotiation, GivenThePluginOfThisMinor_WhenLoaded_ThenItAnswersHealth) {
    std::shared_ptr<loader::Plugin> plugin;
    auto store = open_store(MEMORY_PLUGIN_PATH, plugin);
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_EQ(plugin->abi_minor(), static_cast<uint32_t>(ES_PLUGIN_ABI_MINOR));
    EXPECT_NE(plugin->api().store_health, nullptr);
    EXPECT_TRUE(store.value()->check_health().ok());
    EXPECT_TRUE(plugin->has_stream_lifecycle()) << "the memory plugin names ES_CAP_STREAM_LIFECYCLE";
}

// A plugin of a minor before 1.5 has no stream lifecycle: the loader answers for it. The same
// store built for 1.0 and for 1.4 (the last minor before it, whose table ends at append_async).
TEST(MinorNegotiation, GivenAPluginOfAbi10Or14_WhenAskedToDeleteAStream_ThenUnimplementedNamingItsAbi) {
    for (const auto& [path, abi] : {std::make_pair(MEMORY_ABI_1_0_PLUGIN_PATH, "(ABI 1.0)"),
                                    std::make_pair(MEMORY_ABI_1_4_PLUGIN_PATH, "(ABI 1.4)")}) {
        std::shared_ptr<loader::Plugin> plugin;
        auto store = open_store(path, plugin);
        ASSERT_TRUE(store.ok()) << store.status().message();
        EXPECT_FALSE(plugin->has_stream_lifecycle()) << abi;
        es_stream_change_request request = eventstore::abi::make_struct<es_stream_change_request>();
        request.kind = ES_CHANGE_DELETE;
        request.stream_id = eventstore::abi::bytes("s");
        es_stream_state state{};
        const Status status = store.value()->change_stream(request, state);
        EXPECT_EQ(status.code(), Code::unimplemented) << abi;
        EXPECT_NE(status.message().find(std::string(abi) + " has no stream lifecycle"),
                  std::string::npos)
            << status.message();
        es_stream_state_request read = eventstore::abi::make_struct<es_stream_state_request>();
        read.stream_id = eventstore::abi::bytes("s");
        EXPECT_EQ(store.value()->stream_state(read, state).code(), Code::unimplemented) << abi;
    }
}

// The requests carry deadlines (ABI 1.2): the loader hands them to this plugin as ABI 1.0 knew
// them, since the plugin would refuse a larger request with non-zero fields it does not know.
TEST(MinorNegotiation, GivenAPluginOfAbi10_WhenLoaded_ThenItWorksWithDeadlinesAndIsReadyWhileOpen) {
    std::shared_ptr<loader::Plugin> plugin;
    auto store = open_store(MEMORY_ABI_1_0_PLUGIN_PATH, plugin);
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_EQ(plugin->abi_minor(), 0u);
    EXPECT_EQ(plugin->api().store_health, nullptr);
    EXPECT_TRUE(store.value()->check_health().ok());

    const std::string stream = "order-1";
    eventstore::abi::AppendBuilder append;
    es_append_request& request = append.request();
    request.stream_id = eventstore::abi::bytes(stream);
    request.expected_kind = ES_EXPECT_NO_STREAM;
    request.timeout_us = 5'000'000;
    es_event_data& event = append.add_event();
    event.event_id = eventstore::abi::bytes(std::string_view("0190c3a4-1b2c-7d3e-8f40-5a6b7c8d9e0f"));
    event.type_name = eventstore::abi::bytes(std::string_view("Placed"));
    es_append_result result{};
    const Status appended = store.value()->append(request, result);
    ASSERT_TRUE(appended.ok()) << appended.message();
    EXPECT_EQ(result.current_version, 1u);

    es_read_stream_request read = eventstore::abi::make_struct<es_read_stream_request>();
    read.stream_id = eventstore::abi::bytes(stream);
    read.from_version = 1;
    read.forward = true;
    read.timeout_us = 5'000'000;
    auto iterator = store.value()->read_stream(read);
    ASSERT_TRUE(iterator.ok()) << iterator.status().message();
    es_recorded_event recorded{};
    auto has = iterator.value()->next(recorded);
    ASSERT_TRUE(has.ok() && has.value());
    EXPECT_EQ(eventstore::abi::view(recorded.type_name), "Placed");
}

// Stream owners (ABI 1.3) through the loader: the memory plugin of this minor checks them itself;
// its ABI 1.0 build gets requests without owner_tenant (it would refuse the unknown field) and the
// loader checks around it. Either way the same answers: another owner's append refused with
// nothing written, its read not found, the owner's own calls served.
TEST(MinorNegotiation, GivenAPluginOfThisMinorOrOfAbi10_WhenRequestsNameAnOwner_ThenOtherOwnersAreKeptOut) {
    for (const char* path : {MEMORY_PLUGIN_PATH, MEMORY_ABI_1_0_PLUGIN_PATH}) {
        SCOPED_TRACE(path);
        std::shared_ptr<loader::Plugin> plugin;
        auto store = open_store(path, plugin);
        ASSERT_TRUE(store.ok()) << store.status().message();
        const std::string stream = "order-1";
        const auto append_as = [&](std::string_view owner, const char* event_id) {
            eventstore::abi::AppendBuilder append;
            es_append_request& request = append.request();
            request.stream_id = eventstore::abi::bytes(stream);
            request.owner_tenant = eventstore::abi::bytes(owner);
            es_event_data& event = append.add_event();
            event.event_id = eventstore::abi::bytes(std::string_view(event_id));
            event.type_name = eventstore::abi::bytes(std::string_view("Placed"));
            event.tenant_id = eventstore::abi::bytes(owner);
            es_append_result result{};
            return store.value()->append(request, result);
        };
        const auto read_as = [&](std::string_view owner) {
            es_read_stream_request read = eventstore::abi::make_struct<es_read_stream_request>();
            read.stream_id = eventstore::abi::bytes(stream);
            read.forward = true;
            read.max_count = 10;
            read.owner_tenant = eventstore::abi::bytes(owner);
            return store.value()->read_stream(read);
        };
        ASSERT_TRUE(append_as("acme", "0190c3a4-1b2c-7d3e-8f40-5a6b7c8d9e01").ok());
        const Status refused = append_as("globex", "0190c3a4-1b2c-7d3e-8f40-5a6b7c8d9e02");
        EXPECT_EQ(refused.code(), Code::permission_denied);
        EXPECT_EQ(refused.message(), "stream 'order-1' belongs to another tenant");
        EXPECT_EQ(read_as("globex").status().code(), Code::not_found);
        EXPECT_TRUE(append_as("acme", "0190c3a4-1b2c-7d3e-8f40-5a6b7c8d9e03").ok());
        auto own = read_as("acme");
        ASSERT_TRUE(own.ok()) << own.status().message();
        es_recorded_event recorded{};
        int count = 0;
        while (true) {
            auto has = own.value()->next(recorded);
            ASSERT_TRUE(has.ok());
            if (!has.value()) break;
            EXPECT_EQ(eventstore::abi::view(recorded.tenant_id), "acme");
            ++count;
        }
        EXPECT_EQ(count, 2);
    }
}

}  // namespace
