// sqlite_store.hpp: the SQLite backend's store: a handle on its file's Database (database.hpp),
// shared with the other stores of this process on the same file, and the host it announces
// commits to.
//
// Thread safety: every method from any number of threads. close() waits until the appends queued
// so far are completed (plugin.h: none may be left pending), unsubscribes the host and lets the
// Database go (the last store of a file closes it); iterators still open need neither.
#ifndef EVENTSTORE_PLUGINS_SQLITE_SQLITE_STORE_HPP
#define EVENTSTORE_PLUGINS_SQLITE_SQLITE_STORE_HPP

#include <memory>

#include "database.hpp"
#include "eventstore/plugin.hpp"
#include "sqlite_options.hpp"

namespace eventstore::sqlite {

class SqliteStore final : public plugin::AsyncStore {
public:
    static Result<std::shared_ptr<SqliteStore>> open(const SqliteOptions& options,
                                                     const plugin::Host& host);

    void append_async(const es_append_request& request, plugin::AppendDone done) override {
        database_->append(request, std::move(done));
    }
    Result<std::unique_ptr<plugin::Iterator>> read_stream(
        const es_read_stream_request& request) override {
        return database_->read_stream(request);
    }
    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request& request) override {
        return database_->read_all(request);
    }
    Status change_stream(const es_stream_change_request& request, es_stream_state& state) override {
        return database_->change_stream(request, state);
    }
    Status stream_state(const es_stream_state_request& request, es_stream_state& state) override {
        return database_->stream_state(request, state);
    }
    Status health() override { return database_->health(); }
    void close() override;

private:
    explicit SqliteStore(std::shared_ptr<Database> database) : database_(std::move(database)) {}

    std::shared_ptr<Database> database_;  // null once closed
};

}  // namespace eventstore::sqlite

#endif
