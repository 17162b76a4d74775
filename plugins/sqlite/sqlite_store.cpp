#include "sqlite_store.hpp"

namespace eventstore::sqlite {

Result<std::shared_ptr<SqliteStore>> SqliteStore::open(const SqliteOptions& options,
                                                       const plugin::Host& host) {
    auto database = Database::open(options, host);
    if (!database.ok()) return database.status();
    std::shared_ptr<SqliteStore> store(new SqliteStore(std::move(database.value())));
    store->database_->subscribe(store.get(), host);
    return store;
}

void SqliteStore::close() {
    database_->drain();
    database_->unsubscribe(this);
    database_.reset();
}

}  // namespace eventstore::sqlite
