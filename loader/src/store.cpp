#include "eventstore/loader/store.hpp"

#include <cstddef>
#include <cstring>

#include "eventstore/abi_struct.hpp"
#include "eventstore/loader/plugin.hpp"
#include "blocking_appends.hpp"
#include "owner_fallback.hpp"
#include "pending_appends.hpp"
#include "plugin_status.hpp"

namespace eventstore::loader {
namespace {

void log_trampoline(void* context, int32_t level, es_bytes message) {
    static_cast<StoreHooks*>(context)->log(static_cast<es_log_level>(level), abi::view(message));
}

void committed_trampoline(void* context, uint64_t position) {
    static_cast<StoreHooks*>(context)->committed(position);
}

// The request as the plugin's minor knows it (abi::request_size_at_minor): the fields of later
// minors cut off, exactly as a host of its own minor would have sent it. `copy` holds it.
template <class Request>
const Request& as_known_by(const Plugin& plugin, const Request& request, Request& copy) {
    const size_t known = abi::request_size_at_minor<Request>(plugin.abi_minor());
    if (known == sizeof(Request)) return request;
    copy = request;
    std::memset(reinterpret_cast<unsigned char*>(&copy) + known, 0, sizeof(Request) - known);
    copy.struct_size = static_cast<uint32_t>(known);
    return copy;
}

}  // namespace

Iterator::~Iterator() { plugin_->api().iterator_destroy(handle_); }

Result<bool> Iterator::next(es_recorded_event& event) {
    event = abi::make_struct<es_recorded_event>();
    es_error err = abi::make_struct<es_error>();
    bool has_event = false;
    const es_status status = plugin_->api().iterator_next(handle_, &event, &has_event, &err);
    if (status != ES_OK) return from_plugin(status, err);
    return has_event;
}

Result<es_page_info> Iterator::page() {
    es_page_info page = abi::make_struct<es_page_info>();
    es_error err = abi::make_struct<es_error>();
    const es_status status = plugin_->api().iterator_page(handle_, &page, &err);
    if (status != ES_OK) return from_plugin(status, err);
    return page;
}

Store::Store(std::shared_ptr<const Plugin> plugin, std::shared_ptr<StoreHooks> hooks)
    : plugin_(std::move(plugin)), hooks_(std::move(hooks)) {
    callbacks_ = abi::make_struct<es_host_callbacks>();
    callbacks_.host_context = hooks_.get();
    callbacks_.log = &log_trampoline;
    callbacks_.notify_committed = &committed_trampoline;
}

Store::~Store() {
    if (blocking_appends_) blocking_appends_->stop();
    if (handle_ != nullptr) plugin_->api().store_close(handle_);
    PendingAppends::instance().forget(*this);
}

Status Store::open(const OpenOptions& options) {
    std::vector<es_key_value> flat;
    flat.reserve(options.options.size());
    for (const auto& [key, value] : options.options) {
        flat.push_back(es_key_value{abi::bytes(key), abi::bytes(value)});
    }
    es_limits limits = options.limits;
    limits.struct_size = sizeof(es_limits);
    es_open_params params = abi::make_struct<es_open_params>();
    params.options_yaml = abi::bytes(options.options_yaml);
    params.options = flat.data();
    params.option_count = flat.size();
    params.host = &callbacks_;
    params.limits = &limits;
    es_error err = abi::make_struct<es_error>();
    const es_status status = plugin_->api().store_open(&params, &handle_, &err);
    if (status != ES_OK) {
        handle_ = nullptr;
        const Status why = from_plugin(status, err);
        return Status(why.code(), "backend '" + plugin_->name() + "' failed to open: " + why.message());
    }
    if (handle_ == nullptr) {
        return Status(Code::internal, "backend '" + plugin_->name() + "' opened no store (NULL handle)");
    }
    if (plugin_->api().append_async == nullptr) blocking_appends_ = std::make_unique<BlockingAppends>();
    PendingAppends::instance().opened(*this);
    return {};
}

Status Store::append(const es_append_request& request, es_append_result& result) {
    if (needs_owner_fallback(*plugin_, request)) return append_checking_owner(*this, request, result);
    result = abi::make_struct<es_append_result>();
    es_error err = abi::make_struct<es_error>();
    es_append_request copy;
    const es_append_request& sent = as_known_by(*plugin_, request, copy);
    return from_plugin(plugin_->api().append(handle_, &sent, &result, &err), err);
}

void Store::append_async(AsyncAppend& append) {
    const es_append_request& request = append.abi_request();
    PendingAppends& pending = PendingAppends::instance();
    if (!blocking_appends_) {
        es_append_request copy;
        const PendingAppends::Slot slot = pending.add(*this, append, as_known_by(*plugin_, request, copy));
        plugin_->api().append_async(handle_, slot.request, slot.result, slot.err,
                                    &PendingAppends::done, slot.done_context);
        return;
    }
    const PendingAppends::Slot slot = pending.add(*this, append, request);
    BlockingAppends::Task task;
    task.deadline = Deadline::from_timeout_us(request.timeout_us);
    task.run = [this, slot] {
        es_append_result result{};
        const Status status = this->append(*slot.request, result);
        PendingAppends::instance().finish(slot.done_context, status, result);
    };
    task.expire = [slot](bool stopping) {
        PendingAppends::instance().finish(
            slot.done_context,
            stopping ? Status(Code::unavailable, "the store is closing; nothing was written")
                     : Status(Code::deadline_exceeded,
                              "the append's deadline passed while it waited for a thread of "
                              "the server; nothing was written"),
            abi::make_struct<es_append_result>());
    };
    blocking_appends_->submit(std::move(task));
}

template <class Request, class OpenFunction>
Result<std::unique_ptr<Iterator>> Store::open_iterator(OpenFunction open, const Request& request) {
    es_iterator* handle = nullptr;
    es_error err = abi::make_struct<es_error>();
    Request copy;
    const es_status status = open(handle_, &as_known_by(*plugin_, request, copy), &handle, &err);
    if (status != ES_OK) return from_plugin(status, err);
    return std::make_unique<Iterator>(plugin_, handle);
}

Result<std::unique_ptr<Iterator>> Store::read_stream(const es_read_stream_request& request) {
    if (needs_owner_fallback(*plugin_, request)) return read_stream_checking_owner(*this, request);
    return open_iterator(plugin_->api().read_stream, request);
}

Result<std::unique_ptr<Iterator>> Store::read_all(const es_read_all_request& request) {
    return open_iterator(plugin_->api().read_all, request);
}

namespace {

Status no_lifecycle(const Plugin& plugin) {
    return Status(Code::unimplemented,
                  "backend '" + plugin.name() + "' (ABI 1." + std::to_string(plugin.abi_minor()) +
                      ") has no stream lifecycle: delete, tombstone, truncate and retention need a "
                      "backend of ABI 1.5 that names ES_CAP_STREAM_LIFECYCLE (docs/plugin-abi.md)");
}

}  // namespace

Status Store::change_stream(const es_stream_change_request& request, es_stream_state& state) {
    if (!plugin_->has_stream_lifecycle()) return no_lifecycle(*plugin_);
    state = abi::make_struct<es_stream_state>();
    es_error err = abi::make_struct<es_error>();
    return from_plugin(plugin_->api().change_stream(handle_, &request, &state, &err), err);
}

Status Store::stream_state(const es_stream_state_request& request, es_stream_state& state) {
    if (!plugin_->has_stream_lifecycle()) return no_lifecycle(*plugin_);
    state = abi::make_struct<es_stream_state>();
    es_error err = abi::make_struct<es_error>();
    return from_plugin(plugin_->api().stream_state(handle_, &request, &state, &err), err);
}

Status Store::check_health() {
    const auto health = plugin_->api().store_health;
    if (health == nullptr) return {};
    es_error err = abi::make_struct<es_error>();
    return from_plugin(health(handle_, &err), err);
}

}  // namespace eventstore::loader
