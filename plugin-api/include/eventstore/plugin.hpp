// eventstore/plugin.hpp: write a backend as a C++ class instead of C tables. C++17, header-only.
//
//   class MyStore : public eventstore::plugin::Store { ... };
//   eventstore::Result<std::shared_ptr<eventstore::plugin::Store>>
//   open_my_store(const eventstore::plugin::OpenContext& context);
//   EVENTSTORE_PLUGIN("mine", "1.0.0", ES_CAP_COMMIT_NOTIFICATIONS, open_my_store)
//
// The macro defines the one exported symbol. Every call from the host goes through a trampoline
// here that checks the request's struct sizes, applies the contract's input rules (validation.hpp),
// catches every exception (-> ES_INTERNAL with its what()), and keeps the store alive while any of
// its iterators is (so store_close with iterators open is safe).
//
// The plugin answers the host with the newest ABI minor both know (plugin.h, es_plugin_entry_fn),
// so it loads into hosts of older minors too. EVENTSTORE_PLUGIN_ABI_MINOR caps the minor it
// answers with (default: this header's); the tests set it to build plugins as older headers did.
#ifndef EVENTSTORE_PLUGIN_HPP
#define EVENTSTORE_PLUGIN_HPP

#include <algorithm>
#include <array>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eventstore/abi_struct.hpp"
#include "eventstore/plugin.h"
#include "eventstore/plugin_util.h"
#include "eventstore/status.hpp"
#include "eventstore/validation.hpp"

#ifndef EVENTSTORE_PLUGIN_ABI_MINOR
#define EVENTSTORE_PLUGIN_ABI_MINOR ES_PLUGIN_ABI_MINOR
#endif
static_assert(EVENTSTORE_PLUGIN_ABI_MINOR <= ES_PLUGIN_ABI_MINOR,
              "EVENTSTORE_PLUGIN_ABI_MINOR names a minor this header does not know");

namespace eventstore::plugin {

using abi::bytes;
using abi::view;

// The host's callbacks for one store. Copyable; usable until store_close returns, never after:
// an iterator that outlives its store's close must not log or notify.
class Host {
public:
    Host() = default;
    explicit Host(const es_host_callbacks& callbacks) : callbacks_(callbacks) {}

    void log(es_log_level level, std::string_view message) const {
        if (callbacks_.log != nullptr) callbacks_.log(callbacks_.host_context, level, bytes(message));
    }
    // See es_host_callbacks.notify_committed: every position <= `position` is visible.
    void notify_committed(uint64_t position) const {
        if (callbacks_.notify_committed != nullptr) {
            callbacks_.notify_committed(callbacks_.host_context, position);
        }
    }

private:
    es_host_callbacks callbacks_ = abi::make_struct<es_host_callbacks>();
};

// What a store is opened with, copied out of es_open_params.
struct OpenContext {
    std::string options_yaml;
    std::vector<std::pair<std::string, std::string>> options;  // flattened, see es_open_params
    es_limits limits;                                          // defaults filled in
    Host host;
};

// A read in progress. Used by one thread at a time.
class Iterator {
public:
    virtual ~Iterator() = default;
    // Fills `event` (pointing into memory this iterator owns until the next call) and sets
    // has_event, or sets has_event false at the end.
    virtual Status next(es_recorded_event& event, bool& has_event) = 0;
    // The paging summary, once next has reported the end.
    virtual es_page_info page() const = 0;
};

// A store. Every method may be called from many threads at once. Requests reaching it have passed
// validation.hpp's rules and carry structs of this build's size.
class Store {
public:
    virtual ~Store() = default;
    virtual Status append(const es_append_request& request, es_append_result& result) = 0;
    virtual Result<std::unique_ptr<Iterator>> read_stream(const es_read_stream_request& request) = 0;
    virtual Result<std::unique_ptr<Iterator>> read_all(const es_read_all_request& request) = 0;
    // Whether the store can serve now (ABI 1.1 store_health): OK, or UNAVAILABLE naming what is
    // wrong. Must answer within about a second. The default: ready while open.
    virtual Status health() { return {}; }
    // Called once, when the host closes the store. Stop here whatever talks to the Host (a
    // listener thread, timers): its callbacks are invalid once store_close returns, although this
    // object lives on while the host still holds iterators of it.
    virtual void close() {}
};

using OpenFunction = Result<std::shared_ptr<Store>> (*)(const OpenContext& context);

namespace detail {

// es_store* and es_iterator* point at these.
struct StoreBox {
    std::shared_ptr<Store> store;
    es_limits limits;
};
struct IteratorBox {
    std::shared_ptr<Store> keep_alive;
    std::unique_ptr<Iterator> iterator;
};

// How much of a request struct this plugin knows: a plugin capped below minor 2 reads requests
// as ABI 1.1 knew them, without timeout_us; one capped below minor 3 reads append and read_stream
// requests without owner_tenant. A set field beyond what it knows is refused (abi::read_struct).
template <class Request>
size_t known_request_size() {
    return abi::request_size_at_minor<Request>(EVENTSTORE_PLUGIN_ABI_MINOR);
}

inline StoreBox* unbox(es_store* store) { return reinterpret_cast<StoreBox*>(store); }
inline IteratorBox* unbox(es_iterator* iterator) { return reinterpret_cast<IteratorBox*>(iterator); }

inline es_status fail(const Status& status, es_error* err) {
    abi::write_error(err, status.message());
    return static_cast<es_status>(status.code());
}

// Runs `body` (returning Status), turning any exception into ES_INTERNAL.
template <class Body>
es_status guarded(es_error* err, Body&& body) {
    try {
        const Status status = body();
        return status.ok() ? ES_OK : fail(status, err);
    } catch (const std::exception& e) {
        // No allocation here: the exception may be bad_alloc.
        abi::write_error(err, e.what());
        return ES_INTERNAL;
    } catch (...) {
        abi::write_error(err, "the plugin threw a non-standard exception");
        return ES_INTERNAL;
    }
}

template <OpenFunction Open>
es_status store_open(const es_open_params* params, es_store** out, es_error* err) {
    return guarded(err, [&]() -> Status {
        auto read = abi::read_struct(params, "es_open_params");
        if (!read.ok()) return read.status();
        const es_open_params& p = read.value();
        OpenContext context;
        context.options_yaml = std::string(view(p.options_yaml));
        for (size_t i = 0; i < p.option_count; ++i) {
            context.options.emplace_back(view(p.options[i].key), view(p.options[i].value));
        }
        context.limits = validation::effective_limits(p.limits);
        if (p.host != nullptr) {
            auto host = abi::read_struct(p.host, "es_host_callbacks");
            if (!host.ok()) return host.status();
            context.host = Host(host.value());
        }
        auto store = Open(context);
        if (!store.ok()) return store.status();
        if (store.value() == nullptr) return Status(Code::internal, "the plugin opened no store");
        *out = reinterpret_cast<es_store*>(new StoreBox{std::move(store.value()), context.limits});
        return {};
    });
}

inline void store_close(es_store* store) noexcept {
    StoreBox* box = unbox(store);
    try {
        box->store->close();
    } catch (...) {
        // Nothing can be reported from a close; the store is released all the same.
    }
    delete box;
}

inline es_status append(es_store* store, const es_append_request* request,
                        es_append_result* result, es_error* err) {
    return guarded(err, [&]() -> Status {
        auto read = abi::read_struct(request, "es_append_request",
                                     known_request_size<es_append_request>());
        if (!read.ok()) return read.status();
        if (result == nullptr) return Status(Code::invalid_argument, "es_append_result is NULL");
        StoreBox* box = unbox(store);
        if (read.value().events == nullptr && read.value().event_count != 0) {
            return Status(Code::invalid_argument, "es_append_request.events is NULL");
        }
        // Events are read through their own struct_size, then validated.
        std::vector<es_event_data> events;
        std::vector<const es_event_data*> pointers;
        events.reserve(read.value().event_count);
        for (size_t i = 0; i < read.value().event_count; ++i) {
            auto event = abi::read_struct(read.value().events[i], "es_event_data");
            if (!event.ok()) return event.status();
            events.push_back(event.value());
        }
        for (const auto& event : events) pointers.push_back(&event);
        es_append_request normal = read.value();
        normal.events = pointers.data();
        if (Status s = validation::validate_append(normal, box->limits); !s.ok()) return s;
        es_append_result out = abi::make_struct<es_append_result>();
        Status status = box->store->append(normal, out);
        if (status.ok() || status.code() == Code::failed_precondition) abi::write_struct(result, out);
        return status;
    });
}

// Hands an opened iterator to the host, or passes on why there is none.
inline Status open_iterator(StoreBox* box, Result<std::unique_ptr<Iterator>> opened,
                            es_iterator** out) {
    if (!opened.ok()) return opened.status();
    *out = reinterpret_cast<es_iterator*>(new IteratorBox{box->store, std::move(opened.value())});
    return {};
}

inline es_status read_stream(es_store* store, const es_read_stream_request* request,
                             es_iterator** out, es_error* err) {
    return guarded(err, [&]() -> Status {
        auto read = abi::read_struct(request, "es_read_stream_request",
                                     known_request_size<es_read_stream_request>());
        if (!read.ok()) return read.status();
        StoreBox* box = unbox(store);
        es_read_stream_request normal = read.value();
        if (Status s = validation::validate_stream_id(view(normal.stream_id), box->limits); !s.ok()) {
            return s;
        }
        normal.max_count = validation::effective_page_size(normal.max_count, box->limits);
        return open_iterator(box, box->store->read_stream(normal), out);
    });
}

inline es_status read_all(es_store* store, const es_read_all_request* request, es_iterator** out,
                          es_error* err) {
    return guarded(err, [&]() -> Status {
        auto read = abi::read_struct(request, "es_read_all_request",
                                     known_request_size<es_read_all_request>());
        if (!read.ok()) return read.status();
        StoreBox* box = unbox(store);
        es_read_all_request normal = read.value();
        normal.max_count = validation::effective_page_size(normal.max_count, box->limits);
        return open_iterator(box, box->store->read_all(normal), out);
    });
}

inline es_status iterator_next(es_iterator* iterator, es_recorded_event* event, bool* has_event,
                               es_error* err) {
    return guarded(err, [&]() -> Status {
        if (event == nullptr || has_event == nullptr) {
            return Status(Code::invalid_argument, "iterator_next needs an event and has_event");
        }
        es_recorded_event out = abi::make_struct<es_recorded_event>();
        bool has = false;
        Status status = unbox(iterator)->iterator->next(out, has);
        if (!status.ok()) return status;
        *has_event = has;
        if (has) abi::write_struct(event, out);
        return {};
    });
}

inline es_status iterator_page(es_iterator* iterator, es_page_info* page, es_error* err) {
    return guarded(err, [&]() -> Status {
        if (page == nullptr) return Status(Code::invalid_argument, "es_page_info is NULL");
        abi::write_struct(page, unbox(iterator)->iterator->page());
        return {};
    });
}

inline void iterator_destroy(es_iterator* iterator) noexcept { delete unbox(iterator); }

inline es_status store_health(es_store* store, es_error* err) {
    return guarded(err, [&]() -> Status { return unbox(store)->store->health(); });
}

// The table as ABI minor `minor` knew it: its size, and only the functions that minor has.
template <OpenFunction Open>
es_plugin_api make_table(uint32_t minor, const char* name, const char* version,
                         uint64_t capabilities) {
    static_assert(ES_PLUGIN_ABI_MINOR == ES_UTIL_ABI_MINOR,
                  "a new minor: teach eventstore/plugin_util.h its sizes (ES_UTIL_API_SIZE, "
                  "es_util_*_request_size), raise ES_UTIL_ABI_MINOR, and fill its functions here");
    es_plugin_api api = abi::make_struct<es_plugin_api>();
    api.struct_size = static_cast<uint32_t>(ES_UTIL_API_SIZE(minor));
    api.abi_major = ES_PLUGIN_ABI_MAJOR;
    api.abi_minor = minor;
    api.name = name;
    api.version = version;
    api.capabilities = capabilities;
    api.store_open = &store_open<Open>;
    api.store_close = &store_close;
    api.append = &append;
    api.read_stream = &read_stream;
    api.read_all = &read_all;
    api.iterator_next = &iterator_next;
    api.iterator_page = &iterator_page;
    api.iterator_destroy = &iterator_destroy;
    if (minor >= 1) api.store_health = &store_health;
    return api;
}

// One table per minor this header knows, indexed by minor.
template <OpenFunction Open>
std::array<es_plugin_api, ES_PLUGIN_ABI_MINOR + 1> make_tables(const char* name,
                                                               const char* version,
                                                               uint64_t capabilities) {
    std::array<es_plugin_api, ES_PLUGIN_ABI_MINOR + 1> tables{};
    for (uint32_t minor = 0; minor < tables.size(); ++minor) {
        tables[minor] = make_table<Open>(minor, name, version, capabilities);
    }
    return tables;
}

// The minor to answer `offer` with: the newest both sides know, at most `own`. An offer of
// another major gets `own` (the host then refuses the major and names both versions).
inline uint32_t answered_minor(const es_host_offer* offer, uint32_t own) {
    return es_util_answer_minor(offer, own);
}

}  // namespace detail
}  // namespace eventstore::plugin

// Defines the plugin's entry symbol. OPEN names a function of type
// eventstore::plugin::OpenFunction.
#define EVENTSTORE_PLUGIN(NAME, VERSION, CAPABILITIES, OPEN)                                     \
    extern "C" ES_PLUGIN_EXPORT es_status eventstore_plugin_entry(                                \
        const es_host_offer* offer, const es_plugin_api** api, es_error* err) {                   \
        (void)err;                                                                                \
        static const auto tables =                                                                \
            ::eventstore::plugin::detail::make_tables<OPEN>(NAME, VERSION, CAPABILITIES);         \
        *api = &tables[::eventstore::plugin::detail::answered_minor(                              \
            offer, EVENTSTORE_PLUGIN_ABI_MINOR)];                                                 \
        return ES_OK;                                                                             \
    }

#endif
