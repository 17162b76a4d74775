#include "database.hpp"

#include <algorithm>
#include <sys/stat.h>

#include "event_reader.hpp"
#include "lifecycle.hpp"
#include "migrations.hpp"
#include "sqlite_errors.hpp"

namespace eventstore::sqlite {

namespace {

constexpr const char* kJournalMode = "PRAGMA journal_mode = WAL";
constexpr const char* kPageSize = "PRAGMA page_size";
// The head: the last event's position, or the highest removed one (log_head) when it is higher.
constexpr const char* kLast =
    "SELECT max(global_position), recorded_at_us FROM (SELECT * FROM (SELECT global_position, "
    "recorded_at_us FROM events ORDER BY global_position DESC LIMIT 1) UNION ALL "
    "SELECT global_position, recorded_at_us FROM log_head)";
constexpr const char* kHealth = "SELECT count(*) FROM sqlite_schema";

const char* synchronous_name(Synchronous synchronous) {
    return synchronous == Synchronous::full ? "FULL" : "NORMAL";
}

bool same_settings(const SqliteOptions& a, const SqliteOptions& b) {
    return a.synchronous == b.synchronous && a.readers == b.readers &&
           a.busy_timeout_ms == b.busy_timeout_ms && a.max_bytes == b.max_bytes;
}

// The Databases this process has open, by the file's device and inode. The mutex is held while a
// Database opens and while one is destroyed, so an open never meets a file that is half closed.
using FileId = std::pair<dev_t, ino_t>;
std::mutex& registry_mutex() {
    static std::mutex mutex;
    return mutex;
}
std::map<FileId, std::weak_ptr<Database>>& registry() {
    static std::map<FileId, std::weak_ptr<Database>> databases;
    return databases;
}

bool file_id(const std::string& path, FileId& id) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return false;
    id = {info.st_dev, info.st_ino};
    return true;
}

}  // namespace

Database::Database(const SqliteOptions& options)
    : options_(options), readers_(options.path, options.readers, options.busy_timeout_ms) {}

Database::~Database() {
    if (writer_ != nullptr) writer_->stop();
    readers_.close();
    lock_.reset();
}

Result<std::shared_ptr<Database>> Database::open(const SqliteOptions& options,
                                                 const plugin::Host& host) {
    std::lock_guard lock(registry_mutex());
    FileId id;
    if (file_id(options.path, id)) {
        if (auto open = registry()[id].lock()) {
            if (!same_settings(open->options_, options)) {
                return Status(Code::failed_precondition,
                              "sqlite: " + options.path +
                                  ": this process has the file open already, with other options; "
                                  "give every store of one file the same options");
            }
            return open;
        }
    }
    std::unique_ptr<Database> database(new Database(options));
    const Status opened = guard(options.path, "open", [&]() -> Status {
        auto connection = std::make_unique<Connection>(
            options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options.busy_timeout_ms);
        auto file_lock = FileLock::take(options.path);
        if (!file_lock.ok()) return file_lock.status();
        database->lock_ = std::move(file_lock.value());
        const auto last = database->prepare(*connection, host);
        if (!last.ok()) return last.status();
        database->writer_ = std::make_unique<GroupWriter>(
            std::move(connection), options.path, last.value().first, last.value().second,
            [raw = database.get()](uint64_t head) { raw->publish(head); },
            [](Connection& writer, bool& removed) { return sweep_expired(writer, now_us(), removed); });
        return {};
    });
    if (!opened.ok()) return opened;
    // From here on destroyed under the registry's mutex (see registry_mutex()).
    std::shared_ptr<Database> shared(database.release(), [](Database* closing) {
        std::lock_guard lock(registry_mutex());
        delete closing;
    });
    if (file_id(options.path, id)) registry()[id] = shared;
    return shared;
}

Result<std::pair<uint64_t, int64_t>> Database::prepare(Connection& connection,
                                                      const plugin::Host& host) {
    const std::string& path = options_.path;
    if (sqlite3_db_readonly(connection.handle(), "main") == 1) {
        return Status(Code::failed_precondition,
                      "sqlite: " + path +
                          ": the file is read-only; the server writes the file and, beside it, "
                          "its -wal and -shm files: give the user it runs as write access to the "
                          "file and its directory");
    }
    // Before anything writes: a file that is not ours stays as it was.
    const auto checked = check_database(connection, path, embedded_migrations());
    if (!checked.ok()) return checked.status();
    {
        Query mode(connection, kJournalMode);
        const std::string journal = mode.step() ? std::string(mode.bytes(0)) : "";
        if (journal != "wal") {
            return Status(Code::failed_precondition,
                          "sqlite: " + path + ": cannot switch the file to WAL mode (journal "
                          "mode stays '" + journal + "'); the file must be on a local file "
                          "system that supports shared memory");
        }
    }
    connection.exec(std::string("PRAGMA synchronous = ") + synchronous_name(options_.synchronous));
    // Removed events' bytes are overwritten with zeros in the file (docs/sqlite-backend.md,
    // "Erasure"); only this connection removes any.
    connection.exec("PRAGMA secure_delete = ON");
    if (options_.max_bytes != 0) {
        Query page_size(connection, kPageSize);
        const uint64_t page = page_size.step() ? static_cast<uint64_t>(page_size.integer(0)) : 4096;
        connection.exec("PRAGMA max_page_count = " +
                        std::to_string(std::max<uint64_t>(1, options_.max_bytes / page)));
    }
    // An up-to-date file needs no write lock to open: a lock another process holds then fails
    // the appends (UNAVAILABLE), not the start.
    const Result<MigrationOutcome> outcome =
        checked.value() == embedded_migrations().back().version
            ? Result<MigrationOutcome>(MigrationOutcome{checked.value(), 0})
            : migrate(connection, path, embedded_migrations());
    if (!outcome.ok()) return outcome.status();
    uint64_t head = 0;
    int64_t recorded_at_us = 0;
    {
        Query last(connection, kLast);
        if (last.step()) {
            head = static_cast<uint64_t>(last.integer(0));
            recorded_at_us = last.integer(1);
        }
    }
    const int version = outcome.value().found_version + outcome.value().applied;
    host.log(ES_LOG_INFO,
              "sqlite backend: " + path + " at schema version " + std::to_string(version) +
                  (outcome.value().applied > 0
                       ? " (" + std::to_string(outcome.value().applied) + " migrations applied now)"
                       : std::string()) +
                  ", head position " + std::to_string(head) + ", WAL, synchronous " +
                  synchronous_name(options_.synchronous) + ", up to " +
                  std::to_string(options_.readers) + " read connections");
    return std::make_pair(head, recorded_at_us);
}

void Database::subscribe(const void* key, const plugin::Host& host) {
    std::lock_guard lock(subscribers_mutex_);
    subscribers_[key] = host;
}

void Database::unsubscribe(const void* key) {
    std::lock_guard lock(subscribers_mutex_);
    subscribers_.erase(key);
}

void Database::publish(uint64_t head) {
    std::lock_guard lock(subscribers_mutex_);
    for (const auto& [key, host] : subscribers_) host.notify_committed(head);
}

void Database::append(const es_append_request& request, plugin::AppendDone done) {
    writer_->append(request, std::move(done));
}

void Database::drain() {
    writer_->drain();
}

Result<std::unique_ptr<plugin::Iterator>> Database::read_stream(
    const es_read_stream_request& request) {
    return guard(options_.path, "read stream '" + std::string(abi::view(request.stream_id)) + "'",
                 [&]() -> Result<std::unique_ptr<plugin::Iterator>> {
                     auto lease = readers_.acquire(Deadline::from_timeout_us(request.timeout_us));
                     if (!lease.ok()) return lease.status();
                     return sqlite::read_stream(*lease.value(), request);
                 });
}

Result<std::unique_ptr<plugin::Iterator>> Database::read_all(
    const es_read_all_request& request) {
    return guard(options_.path, "read all", [&]() -> Result<std::unique_ptr<plugin::Iterator>> {
        auto lease = readers_.acquire(Deadline::from_timeout_us(request.timeout_us));
        if (!lease.ok()) return lease.status();
        return sqlite::read_all(*lease.value(), request);
    });
}

Status Database::change_stream(const es_stream_change_request& request, es_stream_state& state) {
    return writer_->change(
        [&](Connection& writer, bool& removed) {
            return change_in_transaction(writer, request, state, removed);
        },
        Deadline::from_timeout_us(request.timeout_us));
}

Status Database::stream_state(const es_stream_state_request& request, es_stream_state& state) {
    return guard(options_.path, "read the state of stream '" +
                                    std::string(abi::view(request.stream_id)) + "'",
                 [&]() -> Status {
                     auto lease = readers_.acquire(Deadline::from_timeout_us(request.timeout_us));
                     if (!lease.ok()) return lease.status();
                     return read_state(*lease.value(), request, state);
                 });
}

Status Database::health() {
    const Deadline deadline = Deadline::at(Deadline::Clock::now() + kHealthTimeout);
    return guard(options_.path, "health check", [&]() -> Status {
        auto lease = readers_.acquire(deadline);
        if (!lease.ok()) return lease.status();
        Query(*lease.value(), kHealth).run();
        return {};
    });
}

}  // namespace eventstore::sqlite
