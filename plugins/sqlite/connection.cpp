#include "connection.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "sqlite_errors.hpp"

namespace eventstore::sqlite {

namespace {

// How many virtual machine steps run between two looks at the deadline.
constexpr int kProgressSteps = 1000;

}  // namespace

Connection::Connection(const std::string& path, int flags, uint32_t busy_timeout_ms)
    : busy_timeout_ms_(busy_timeout_ms) {
    const int opened = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (opened != SQLITE_OK) {
        const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(opened);
        const int code = db_ != nullptr ? sqlite3_extended_errcode(db_) : opened;
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw SqliteError(code, message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_handler(db_, &Connection::on_busy, this);
    sqlite3_progress_handler(db_, kProgressSteps, &Connection::on_progress, this);
}

Connection::~Connection() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close_v2(db_);
}

int Connection::check(int code) {
    if (code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE) return code;
    const int primary = code & 0xff;
    if ((primary == SQLITE_BUSY || primary == SQLITE_LOCKED) && deadline_.passed()) {
        throw SqliteError(SQLITE_INTERRUPT, "the call's deadline passed while it waited for a lock");
    }
    throw SqliteError(code, sqlite3_errmsg(db_));
}

void Connection::exec(const std::string& sql) {
    check(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr));
}

sqlite3_stmt* Connection::statement(const char* sql) {
    const auto found = statements_.find(sql);
    if (found != statements_.end()) return found->second;
    sqlite3_stmt* prepared = nullptr;
    check(sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &prepared, nullptr));
    statements_.emplace(sql, prepared);
    return prepared;
}

int Connection::on_busy(void* self, int count) {
    auto* connection = static_cast<Connection*>(self);
    if (count == 0) {
        connection->busy_until_ = Deadline::earlier(
            Deadline::at(Deadline::Clock::now() +
                         std::chrono::milliseconds(connection->busy_timeout_ms_)),
            connection->deadline_);
    }
    if (connection->busy_until_.passed()) return 0;
    // 1 ms, doubling up to 16 ms: short waits stay short, long ones cost little.
    std::this_thread::sleep_for(std::chrono::milliseconds(1 << std::min(count, 4)));
    return 1;
}

int Connection::on_progress(void* self) {
    return static_cast<Connection*>(self)->deadline_.passed() ? 1 : 0;
}

Query::~Query() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

Query& Query::bind(int index, int64_t value) {
    connection_.check(sqlite3_bind_int64(statement_, index, value));
    return *this;
}

Query& Query::bind(int index, std::string_view bytes) {
    // A zero-length blob, not NULL, for empty text: the columns are NOT NULL.
    connection_.check(bytes.empty()
                          ? sqlite3_bind_zeroblob(statement_, index, 0)
                          : sqlite3_bind_blob64(statement_, index, bytes.data(), bytes.size(),
                                                SQLITE_STATIC));
    return *this;
}

bool Query::step() { return connection_.check(sqlite3_step(statement_)) == SQLITE_ROW; }

void Query::run() {
    while (step()) {
    }
}

std::string_view Query::bytes(int column) const {
    const void* data = sqlite3_column_blob(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    return data == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(data),
                                                                   static_cast<size_t>(size));
}

}  // namespace eventstore::sqlite
