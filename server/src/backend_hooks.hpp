// backend_hooks.hpp: what the loaded backend may call back into the server (loader::StoreHooks,
// plugin.h's es_host_callbacks): its log lines go to the server's log, its commit notifications
// to the subscriptions' CommitNotifier. Called from any of the backend's threads.
#ifndef EVENTSTORE_SERVER_BACKEND_HOOKS_HPP
#define EVENTSTORE_SERVER_BACKEND_HOOKS_HPP

#include "eventstore/loader/store.hpp"
#include "subscriptions/commit_notifier.hpp"

namespace eventstore::server {

class BackendHooks : public loader::StoreHooks {
public:
    // `commits` must outlive the store these hooks are given to.
    explicit BackendHooks(CommitNotifier& commits) : commits_(commits) {}

    void log(es_log_level level, std::string_view message) override;
    void committed(uint64_t position) override { commits_.committed(position); }

private:
    CommitNotifier& commits_;
};

}  // namespace eventstore::server

#endif
