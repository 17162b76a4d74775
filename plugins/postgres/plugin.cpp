// The PostgreSQL backend's entry point: the exported symbol and the store factory.
#include <memory>

#include "eventstore/plugin.hpp"
#include "postgres_options.hpp"
#include "postgres_store.hpp"

namespace {

using eventstore::Result;
using eventstore::plugin::OpenContext;
using eventstore::plugin::AsyncStore;

Result<std::shared_ptr<AsyncStore>> open_postgres_store(const OpenContext& context) {
    auto options = eventstore::postgres::parse_postgres_options(context.options);
    if (!options.ok()) return options.status();
    auto store = eventstore::postgres::PostgresStore::open(options.value(), context.host);
    if (!store.ok()) return store.status();
    return std::shared_ptr<AsyncStore>(std::move(store.value()));
}

}  // namespace

EVENTSTORE_PLUGIN("postgres", "0.1.0",
                  ES_CAP_COMMIT_NOTIFICATIONS | ES_CAP_DURABLE | ES_CAP_STREAM_LIFECYCLE,
                  open_postgres_store)
