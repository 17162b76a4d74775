// database.hpp: one open database file in WAL mode, written by one writer thread in groups
// (group_writer.hpp) and read through a pool of read connections (reader_pool.hpp,
// event_reader.hpp). docs/sqlite-backend.md tells the why.
//
// One per file per process: open() hands every store of one file the same Database, so that the
// file has one writer (positions are numbered by it) and one FileLock (which refuses a second
// process). Each store subscribes its host: after each group commits, every subscribed host hears
// the new head, from the writer thread, in increasing order, and never once unsubscribe() has
// returned. The last store to let its Database go stops the writer (after it has written what
// was queued), closes the connections and releases the file lock, in that order.
//
// Thread safety: every method from any number of threads.
#ifndef EVENTSTORE_PLUGINS_SQLITE_DATABASE_HPP
#define EVENTSTORE_PLUGINS_SQLITE_DATABASE_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "eventstore/plugin.hpp"
#include "file_lock.hpp"
#include "group_writer.hpp"
#include "reader_pool.hpp"
#include "sqlite_options.hpp"

namespace eventstore::sqlite {

class Database {
public:
    static constexpr std::chrono::seconds kHealthTimeout{1};

    // The Database of options.path: the one this process has open, or a new one. A new one opens
    // (or creates) the file, locks it, checks that it is an event store database that this plugin
    // knows (or a new file), applies the missing migrations, starts the writer and logs to `host`.
    // Every refusal names the file and what to do (sqlite_errors.hpp, migrations.hpp). A file this
    // process has open already with other options: FAILED_PRECONDITION.
    static Result<std::shared_ptr<Database>> open(const SqliteOptions& options,
                                                  const plugin::Host& host);
    ~Database();

    // Queues the append for the writer; it is completed from the writer's completer thread
    // (group_writer.hpp).
    void append(const es_append_request& request, plugin::AppendDone done);
    // Waits until every append queued so far is completed.
    void drain();
    Result<std::unique_ptr<plugin::Iterator>> read_stream(const es_read_stream_request& request);
    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request& request);
    // plugin.h "Stream lifecycle": a change through the writer (ordered with the appends), and a
    // stream's state read on a pooled connection (lifecycle.hpp).
    Status change_stream(const es_stream_change_request& request, es_stream_state& state);
    Status stream_state(const es_stream_state_request& request, es_stream_state& state);
    // A read of the file on a pooled connection within kHealthTimeout.
    Status health();

    // Announces each commit to `host` until unsubscribe(key).
    void subscribe(const void* key, const plugin::Host& host);
    void unsubscribe(const void* key);

private:
    explicit Database(const SqliteOptions& options);

    // Sets the writer's connection up and migrates the file; returns the log's head and last
    // recorded_at. SQLite's failures throw SqliteError.
    Result<std::pair<uint64_t, int64_t>> prepare(Connection& connection, const plugin::Host& host);
    void publish(uint64_t head);

    const SqliteOptions options_;
    std::unique_ptr<FileLock> lock_;  // first: released after every connection is closed
    ReaderPool readers_;
    std::unique_ptr<GroupWriter> writer_;
    std::mutex subscribers_mutex_;
    std::map<const void*, plugin::Host> subscribers_;  // subscribers_mutex_
};

}  // namespace eventstore::sqlite

#endif
