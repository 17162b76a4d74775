#include "postgres_store.hpp"

#include <pqxx/nontransaction>

#include "event_columns.hpp"
#include "event_reader.hpp"
#include "lifecycle.hpp"
#include "migrations.hpp"
#include "pg_errors.hpp"

namespace eventstore::postgres {

namespace {

std::string channel_of(const std::string& schema) { return schema + "_commits"; }

// `application_name` is what pg_stat_activity shows for the connection, unless the DSN names one.
SessionSettings session_settings(const PostgresOptions& options, const char* application_name) {
    return SessionSettings{
        with_parameter(options.dsn, "fallback_application_name", application_name),
        options.schema, options.statement_timeout_ms};
}

}  // namespace

PostgresStore::PostgresStore(const PostgresOptions& options, plugin::Host host)
    : options_(options),
      host_(std::move(host)),
      pool_(session_settings(options, "eventstore"), options.pool_size),
      appender_(channel_of(options.schema)),
      committer_(pool_, appender_, [this](uint64_t head) { publish(head); }) {}

Result<std::shared_ptr<PostgresStore>> PostgresStore::open(const PostgresOptions& options,
                                                           plugin::Host host) {
    std::shared_ptr<PostgresStore> store(new PostgresStore(options, std::move(host)));
    const Status prepared =
        with_connection(store->pool_, "open", Deadline(), [&](pqxx::connection& connection) {
            return store->prepare_database(connection);
        });
    if (!prepared.ok()) return prepared;
    store->listener_ = std::make_unique<CommitListener>(
        store->pool_, session_settings(options, "eventstore-listen"), channel_of(options.schema),
        store->host_,
        [raw = store.get()](uint64_t head) { raw->publish(head); });
    store->sweeper_ = std::thread([raw = store.get()] { raw->run_sweeps(); });
    return store;
}

Status PostgresStore::prepare_database(pqxx::connection& connection) {
    {
        pqxx::nontransaction tx(connection);
        const std::string encoding = tx.exec1("SHOW server_encoding")[0].c_str();
        if (encoding != "UTF8") {
            return Status(Code::failed_precondition,
                          "postgres: the database's encoding is " + encoding +
                              "; the postgres backend needs UTF8 (CREATE DATABASE ... ENCODING "
                              "'UTF8')");
        }
    }
    const auto outcome =
        migrate(connection, options_.schema, options_.migrate, embedded_migrations());
    if (!outcome.ok()) return outcome.status();
    const int version = outcome.value().found_version + outcome.value().applied;
    const std::string state =
        options_.migrate == MigrateMode::off ? " (migrate: off, version not checked)"
        : outcome.value().applied > 0
            ? " at version " + std::to_string(version) + " (" +
                  std::to_string(outcome.value().applied) + " migrations applied now)"
            : " at version " + std::to_string(version);
    host_.log(ES_LOG_INFO, "postgres backend: schema '" + options_.schema + "'" + state +
                               ", pool of " + std::to_string(options_.pool_size) + " connections");
    return {};
}

PostgresStore::~PostgresStore() { stop_sweeps(); }

void PostgresStore::close() {
    stop_sweeps();
    committer_.stop();
    listener_.reset();
    std::lock_guard lock(publish_mutex_);
    closed_ = true;
}

void PostgresStore::publish(uint64_t head) {
    std::lock_guard lock(publish_mutex_);
    if (closed_ || head <= published_) return;
    published_ = head;
    host_.notify_committed(head);
}

void PostgresStore::append_async(const es_append_request& request, plugin::AppendDone done) {
    if (Status s = check_storable(request); !s.ok()) {
        done(s, abi::make_struct<es_append_result>());
        return;
    }
    committer_.append(request, std::move(done));
}

Result<std::unique_ptr<plugin::Iterator>> PostgresStore::read_stream(
    const es_read_stream_request& request) {
    return with_connection(pool_, "read stream '" + std::string(abi::view(request.stream_id)) + "'",
                           Deadline::from_timeout_us(request.timeout_us),
                           [&](pqxx::connection& connection) {
                               return postgres::read_stream(connection, request);
                           });
}

Result<std::unique_ptr<plugin::Iterator>> PostgresStore::read_all(
    const es_read_all_request& request) {
    return with_connection(pool_, "read all", Deadline::from_timeout_us(request.timeout_us),
                           [&](pqxx::connection& connection) {
        return postgres::read_all(connection, request);
    });
}

Status PostgresStore::change_stream(const es_stream_change_request& request,
                                    es_stream_state& state) {
    return with_connection(pool_, "change stream '" + std::string(abi::view(request.stream_id)) + "'",
                           Deadline::from_timeout_us(request.timeout_us),
                           [&](pqxx::connection& connection) {
                               return postgres::change_stream(connection, request, state);
                           });
}

Status PostgresStore::stream_state(const es_stream_state_request& request, es_stream_state& state) {
    return with_connection(pool_, "stream state of '" + std::string(abi::view(request.stream_id)) + "'",
                           Deadline::from_timeout_us(request.timeout_us),
                           [&](pqxx::connection& connection) {
                               return postgres::stream_state(connection, request, state);
                           });
}

void PostgresStore::run_sweeps() {
    const std::chrono::milliseconds period(options_.sweep_interval_ms);
    std::unique_lock lock(sweep_mutex_);
    while (!sweep_stop_.wait_for(lock, period, [this] { return sweeps_stopped_; })) {
        // Batch after batch until one comes back short, or the store closes.
        while (!sweeps_stopped_) {
            lock.unlock();
            const Result<uint64_t> swept = with_connection(
                pool_, "sweep expired events", Deadline(), [](pqxx::connection& connection) {
                    return Result<uint64_t>(postgres::sweep(connection, kSweepBatch));
                });
            lock.lock();
            if (!swept.ok()) {
                host_.log(ES_LOG_WARN,
                          "postgres backend: the retention sweep failed, trying again in " +
                              std::to_string(options_.sweep_interval_ms) +
                              " ms: " + swept.status().message());
            }
            if (!swept.ok() || swept.value() < kSweepBatch) break;
        }
    }
}

void PostgresStore::stop_sweeps() {
    {
        std::lock_guard lock(sweep_mutex_);
        sweeps_stopped_ = true;
    }
    sweep_stop_.notify_all();
    if (sweeper_.joinable()) sweeper_.join();
}

Status PostgresStore::health() {
    // store_health must answer within about a second (plugin.h).
    const Deadline deadline = Deadline::at(Deadline::Clock::now() + kHealthTimeout);
    return with_connection(pool_, "health check", deadline, [](pqxx::connection& connection) -> Status {
        pqxx::nontransaction(connection).exec1("SELECT 1");
        return {};
    });
}

}  // namespace eventstore::postgres
