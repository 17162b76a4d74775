// postgres_store.hpp: the PostgreSQL backend's store: a connection pool, appends by group commit
// (group_committer.hpp, appender.hpp), the reads (event_reader.hpp), the stream lifecycle
// (lifecycle.hpp) with its retention sweep, and the commit listener (commit_listener.hpp).
//
// The sweep: a thread of the store runs lifecycle.hpp's sweep every options.sweep_interval_ms on a
// pooled connection, in batches of kSweepBatch events until one comes back short, until close();
// a failed sweep is logged and tried again at the next period.
//
// Every call borrows a connection for its duration (with_connection: once more on a fresh
// connection when a pooled one turns out to be dead; UNAVAILABLE at once when the database
// cannot be reached). Every libpqxx exception becomes a Status (pg_errors.hpp).
//
// Commit notifications: after each append commits, and for each head the listener learns of,
// the host hears the new head, once per increase and never a lower one after a higher one.
//
// Thread safety: every method from any number of threads. The destructor stops the listener
// before anything else goes away.
#ifndef EVENTSTORE_PLUGINS_POSTGRES_POSTGRES_STORE_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_POSTGRES_STORE_HPP

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "appender.hpp"
#include "commit_listener.hpp"
#include "connection_pool.hpp"
#include "group_committer.hpp"
#include "eventstore/plugin.hpp"
#include "postgres_options.hpp"

namespace eventstore::postgres {

class PostgresStore final : public plugin::AsyncStore {
public:
    static constexpr std::chrono::seconds kHealthTimeout{1};
    // The most events one transaction of the retention sweep deletes.
    static constexpr uint64_t kSweepBatch = 10000;

    // Connects, checks the database (UTF8 encoding), applies or checks the migrations as
    // options.migrate says, and starts listening for commits.
    static Result<std::shared_ptr<PostgresStore>> open(const PostgresOptions& options,
                                                       plugin::Host host);

    // Queues the append for the group committer, which completes it from its own thread.
    void append_async(const es_append_request& request, plugin::AppendDone done) override;
    Result<std::unique_ptr<plugin::Iterator>> read_stream(
        const es_read_stream_request& request) override;
    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request& request) override;
    Status change_stream(const es_stream_change_request& request, es_stream_state& state) override;
    Status stream_state(const es_stream_state_request& request, es_stream_state& state) override;
    // A round trip on a pooled connection within kHealthTimeout: UNAVAILABLE (or
    // DEADLINE_EXCEEDED) naming the cause when the database cannot be reached.
    Status health() override;
    // Completes every pending append, stops the sweep, the listener and every later
    // notification: the host's callbacks end here.
    void close() override;
    ~PostgresStore() override;

private:
    PostgresStore(const PostgresOptions& options, plugin::Host host);

    Status prepare_database(pqxx::connection& connection);

    // Tells the host that every position <= head is committed, if that is news.
    void publish(uint64_t head);

    // The sweep thread's body, and its end (once, from close() or the destructor).
    void run_sweeps();
    void stop_sweeps();

    const PostgresOptions options_;
    const plugin::Host host_;
    ConnectionPool pool_;
    const Appender appender_;
    GroupCommitter committer_;
    std::mutex publish_mutex_;
    uint64_t published_ = 0;  // the highest head told to the host; publish_mutex_
    bool closed_ = false;     // no more notifications; publish_mutex_
    std::mutex sweep_mutex_;
    std::condition_variable sweep_stop_;
    bool sweeps_stopped_ = false;  // sweep_mutex_
    std::thread sweeper_;
    std::unique_ptr<CommitListener> listener_;  // last: stopped before the rest goes
};

}  // namespace eventstore::postgres

#endif
