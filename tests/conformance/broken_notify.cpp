// broken-notify-ahead / broken-notify-behind: announces commits one position off, selected by
// NOTIFY_SHIFT. +1 announces a position before it is committed, so read_all cannot return it yet
// (plugin.h notify_committed: "never announce a position before every lower position is
// committed"); -1 announces one short, so an append's last event is not covered until the next
// append (ES_CAP_COMMIT_NOTIFICATIONS: "raises notify_committed for every commit").
#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

// Stands between the memory store and the real host, shifting each announced position.
class ShiftingHost {
public:
    explicit ShiftingHost(plugin::Host real) : real_(std::move(real)) {}

    plugin::Host host() {
        es_host_callbacks callbacks = abi::make_struct<es_host_callbacks>();
        callbacks.host_context = this;
        callbacks.log = [](void* self, int32_t level, es_bytes message) {
            static_cast<ShiftingHost*>(self)->real_.log(static_cast<es_log_level>(level),
                                                        abi::view(message));
        };
        callbacks.notify_committed = [](void* self, uint64_t position) {
            static_cast<ShiftingHost*>(self)->real_.notify_committed(position + NOTIFY_SHIFT);
        };
        return plugin::Host(callbacks);
    }

private:
    plugin::Host real_;
};

// The memory store, keeping the shifting host alive as long as itself.
class ShiftedNotifications final : public DecoratedStore {
public:
    ShiftedNotifications(std::shared_ptr<plugin::Store> inner, std::unique_ptr<ShiftingHost> host)
        : DecoratedStore(std::move(inner)), host_(std::move(host)) {}

private:
    std::unique_ptr<ShiftingHost> host_;
};

Result<std::shared_ptr<plugin::Store>> open_shifted(const plugin::OpenContext& context) {
    auto host = std::make_unique<ShiftingHost>(context.host);
    auto memory = open_memory(context, host->host());
    if (!memory.ok()) return memory.status();
    return std::shared_ptr<plugin::Store>(
        std::make_shared<ShiftedNotifications>(std::move(memory.value()), std::move(host)));
}

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN(FIXTURE_NAME, "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS, eventstore::broken::open_shifted)
