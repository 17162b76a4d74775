// eventstore/plugin.hpp: write a backend as a C++ class instead of C tables. C++17, header-only.
//
//   class MyStore : public eventstore::plugin::Store { ... };
//   eventstore::Result<std::shared_ptr<eventstore::plugin::Store>>
//   open_my_store(const eventstore::plugin::OpenContext& context);
//   EVENTSTORE_PLUGIN("mine", "1.0.0", ES_CAP_COMMIT_NOTIFICATIONS, open_my_store)
//
// A store that decides appends on threads of its own (a group committer) derives from AsyncStore
// instead and its open function returns Result<std::shared_ptr<AsyncStore>>: the table then has
// append_async (ABI 1.4), and the host never waits on a thread for its appends.
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
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
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
    // Stream lifecycle (ABI 1.5, plugin.h "Stream lifecycle"): the host calls these only when the
    // plugin names ES_CAP_STREAM_LIFECYCLE in its capabilities (EVENTSTORE_PLUGIN), and then the
    // store overrides both. `state` is written on OK and on FAILED_PRECONDITION.
    virtual Status change_stream(const es_stream_change_request& request, es_stream_state& state);
    virtual Status stream_state(const es_stream_state_request& request, es_stream_state& state);
    // Called once, when the host closes the store. Stop here whatever talks to the Host (a
    // listener thread, timers): its callbacks are invalid once store_close returns, although this
    // object lives on while the host still holds iterators of it.
    virtual void close() {}
};

namespace detail {
class Completion;
}  // namespace detail

// Completes one asynchronous append (plugin.h, "Asynchronous append"): call it once with the
// append's outcome (`result` is used on OK and, for its actual_version, on FAILED_PRECONDITION),
// from any thread, without holding a lock another call of the store needs. Move-only. Destroyed
// without having been called (an exception, a forgotten path), it completes the append with
// INTERNAL, so that no append is left pending.
class AppendDone {
public:
    explicit AppendDone(detail::Completion* completion) : completion_(completion) {}
    AppendDone(AppendDone&& other) noexcept : completion_(std::exchange(other.completion_, nullptr)) {}
    AppendDone& operator=(AppendDone&& other) noexcept {
        if (this != &other) {
            drop();
            completion_ = std::exchange(other.completion_, nullptr);
        }
        return *this;
    }
    AppendDone(const AppendDone&) = delete;
    AppendDone& operator=(const AppendDone&) = delete;
    ~AppendDone() { drop(); }

    void operator()(const Status& status, const es_append_result& result);

private:
    void drop();
    detail::Completion* completion_;
};

// A store whose appends complete later (ABI 1.4 append_async). Every method may be called from
// many threads at once.
class AsyncStore : public Store {
public:
    // Decides `request` later and calls `done` once with the outcome. `request` and everything it
    // points at stay valid until then. Must not block: hand the append to a thread of the store.
    virtual void append_async(const es_append_request& request, AppendDone done) = 0;

    // The blocking append of the ABI (the host's own callers, the conformance suite):
    // append_async, waiting for its done.
    Status append(const es_append_request& request, es_append_result& result) final;
};

using OpenFunction = Result<std::shared_ptr<Store>> (*)(const OpenContext& context);
using AsyncOpenFunction = Result<std::shared_ptr<AsyncStore>> (*)(const OpenContext& context);

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

// Where an AppendDone delivers: finish() is called exactly once and ends the completion's life.
class Completion {
public:
    virtual void finish(const Status& status, const es_append_result& result) noexcept = 0;

protected:
    ~Completion() = default;
};

// An append request as the store receives it: read through its struct_size and its events'
// (abi::read_struct), then checked with validation.hpp's rules. Owns the copies it points at.
struct NormalAppend {
    es_append_request request{};
    std::vector<es_event_data> events;
    std::vector<const es_event_data*> pointers;

    Status read(const es_append_request* in, const es_limits& limits) {
        auto read = abi::read_struct(in, "es_append_request", known_request_size<es_append_request>());
        if (!read.ok()) return read.status();
        if (read.value().events == nullptr && read.value().event_count != 0) {
            return Status(Code::invalid_argument, "es_append_request.events is NULL");
        }
        events.reserve(read.value().event_count);
        for (size_t i = 0; i < read.value().event_count; ++i) {
            auto event = abi::read_struct(read.value().events[i], "es_event_data");
            if (!event.ok()) return event.status();
            events.push_back(event.value());
        }
        pointers.reserve(events.size());
        for (const auto& event : events) pointers.push_back(&event);
        request = read.value();
        request.events = pointers.data();
        return validation::validate_append(request, limits);
    }
};

inline es_status fail(const Status& status, es_error* err);

// The completion of one append_async call from the host: owns the normal request until done.
class HostCompletion final : public Completion {
public:
    HostCompletion(es_append_result* result, es_error* err, es_append_done_fn done, void* context)
        : result_(result), err_(err), done_(done), context_(context) {}

    NormalAppend append;

    void finish(const Status& status, const es_append_result& result) noexcept override {
        es_status code = ES_OK;
        if (status.ok() || status.code() == Code::failed_precondition) abi::write_struct(result_, result);
        if (!status.ok()) code = fail(status, err_);
        const es_append_done_fn done = done_;
        void* const context = context_;
        delete this;
        done(context, code);
    }

private:
    es_append_result* result_;
    es_error* err_;
    es_append_done_fn done_;
    void* context_;
};

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

template <auto Open>
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
        *out = reinterpret_cast<es_store*>(
            new StoreBox{std::shared_ptr<Store>(std::move(store.value())), context.limits});
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
        if (result == nullptr) return Status(Code::invalid_argument, "es_append_result is NULL");
        NormalAppend normal;
        if (Status s = normal.read(request, unbox(store)->limits); !s.ok()) return s;
        es_append_result out = abi::make_struct<es_append_result>();
        Status status = unbox(store)->store->append(normal.request, out);
        if (status.ok() || status.code() == Code::failed_precondition) abi::write_struct(result, out);
        return status;
    });
}

inline void append_async(es_store* store, const es_append_request* request,
                         es_append_result* result, es_error* err, es_append_done_fn done,
                         void* done_context) noexcept {
    HostCompletion* completion = nullptr;
    const es_status refused = guarded(err, [&]() -> Status {
        if (result == nullptr) return Status(Code::invalid_argument, "es_append_result is NULL");
        auto owned = std::make_unique<HostCompletion>(result, err, done, done_context);
        if (Status s = owned->append.read(request, unbox(store)->limits); !s.ok()) return s;
        completion = owned.release();
        return {};
    });
    if (refused != ES_OK) {
        done(done_context, refused);
        return;
    }
    try {
        static_cast<AsyncStore&>(*unbox(store)->store)
            .append_async(completion->append.request, AppendDone(completion));
    } catch (...) {
        // The AppendDone given away completed the append with INTERNAL while unwinding, unless
        // the store had completed it already.
    }
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

inline es_status change_stream(es_store* store, const es_stream_change_request* request,
                               es_stream_state* state, es_error* err) {
    return guarded(err, [&]() -> Status {
        if (state == nullptr) return Status(Code::invalid_argument, "es_stream_state is NULL");
        auto read = abi::read_struct(request, "es_stream_change_request",
                                     known_request_size<es_stream_change_request>());
        if (!read.ok()) return read.status();
        StoreBox* box = unbox(store);
        if (Status s = validation::validate_stream_change(read.value(), box->limits); !s.ok()) return s;
        es_stream_state out = abi::make_struct<es_stream_state>();
        Status status = box->store->change_stream(read.value(), out);
        if (status.ok() || status.code() == Code::failed_precondition) abi::write_struct(state, out);
        return status;
    });
}

inline es_status stream_state(es_store* store, const es_stream_state_request* request,
                              es_stream_state* state, es_error* err) {
    return guarded(err, [&]() -> Status {
        if (state == nullptr) return Status(Code::invalid_argument, "es_stream_state is NULL");
        auto read = abi::read_struct(request, "es_stream_state_request",
                                     known_request_size<es_stream_state_request>());
        if (!read.ok()) return read.status();
        StoreBox* box = unbox(store);
        if (Status s = validation::validate_stream_id(view(read.value().stream_id), box->limits);
            !s.ok()) {
            return s;
        }
        es_stream_state out = abi::make_struct<es_stream_state>();
        Status status = box->store->stream_state(read.value(), out);
        if (status.ok()) abi::write_struct(state, out);
        return status;
    });
}

// Whether Open opens an AsyncStore (its table has append_async) or a Store.
template <auto Open>
constexpr bool opens_async_store() {
    using Function = decltype(Open);
    static_assert(std::is_same_v<Function, OpenFunction> || std::is_same_v<Function, AsyncOpenFunction>,
                  "the open function returns Result<std::shared_ptr<Store>> or "
                  "Result<std::shared_ptr<AsyncStore>> for an OpenContext");
    return std::is_same_v<Function, AsyncOpenFunction>;
}

// The table as ABI minor `minor` knew it: its size, and only the functions that minor has.
template <auto Open>
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
    if constexpr (opens_async_store<Open>()) {
        if (minor >= 4) api.append_async = &append_async;
    }
    if (minor >= 5 && (capabilities & ES_CAP_STREAM_LIFECYCLE) != 0) {
        api.change_stream = &change_stream;
        api.stream_state = &stream_state;
    }
    if (minor < 5) api.capabilities &= ~uint64_t{ES_CAP_STREAM_LIFECYCLE};
    return api;
}

// One table per minor this header knows, indexed by minor.
template <auto Open>
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

inline void AppendDone::operator()(const Status& status, const es_append_result& result) {
    if (completion_ == nullptr) return;  // called before: the rule is once
    std::exchange(completion_, nullptr)->finish(status, result);
}

inline void AppendDone::drop() {
    if (completion_ == nullptr) return;
    std::exchange(completion_, nullptr)
        ->finish(Status(Code::internal, "the plugin dropped an append without completing it"),
                 abi::make_struct<es_append_result>());
}

inline Status Store::change_stream(const es_stream_change_request&, es_stream_state&) {
    return Status(Code::unimplemented, "this store has no stream lifecycle");
}

inline Status Store::stream_state(const es_stream_state_request&, es_stream_state&) {
    return Status(Code::unimplemented, "this store has no stream lifecycle");
}

inline Status AsyncStore::append(const es_append_request& request, es_append_result& result) {
    // A completion that wakes this thread; done may come on this thread, before append_async returns.
    class Waiter final : public detail::Completion {
    public:
        void finish(const Status& status, const es_append_result& result) noexcept override {
            std::lock_guard lock(mutex_);
            status_ = status;
            result_ = result;
            done_ = true;
            decided_.notify_one();
        }
        Status wait(es_append_result& result) {
            std::unique_lock lock(mutex_);
            decided_.wait(lock, [&] { return done_; });
            result = result_;
            return status_;
        }

    private:
        std::mutex mutex_;
        std::condition_variable decided_;
        bool done_ = false;
        Status status_;
        es_append_result result_ = abi::make_struct<es_append_result>();
    };
    Waiter waiter;
    append_async(request, AppendDone(&waiter));
    return waiter.wait(result);
}

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
