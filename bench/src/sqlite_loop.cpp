#include "sqlite_loop.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <sqlite3.h>

#include "events.hpp"

namespace eventstore::bench {
namespace {

constexpr const char* kInsert =
    "INSERT INTO events (global_position, stream_id, stream_version, event_id, type_name, "
    "content_type, tenant_id, correlation_id, causation_id, headers, payload, recorded_at_us) "
    "VALUES (NULL, ?1, ?2, ?3, ?4, ?5, x'', x'', x'', x'', ?6, ?7)";

void check(sqlite3* db, int code, const char* doing) {
    if (code != SQLITE_OK && code != SQLITE_DONE && code != SQLITE_ROW) {
        throw std::runtime_error(std::string("sqlite baseline: ") + doing + ": " +
                                 sqlite3_errmsg(db));
    }
}

void exec(sqlite3* db, const std::string& sql) {
    check(db, sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), sql.c_str());
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int64_t now_us() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

SqliteLoop::SqliteLoop(const std::string& migrations_dir,
                       const std::vector<std::pair<std::string, std::string>>& backend_options) {
    std::string synchronous = "full";
    for (const auto& [key, value] : backend_options) {
        if (key == "synchronous") synchronous = value;
    }
    const auto path = dir_.path() / "baseline.db";
    check(db_, sqlite3_open(path.c_str(), &db_), "open");
    exec(db_, "PRAGMA journal_mode = WAL; PRAGMA synchronous = " + synchronous);
    std::vector<std::filesystem::path> migrations;
    for (const auto& entry : std::filesystem::directory_iterator(migrations_dir)) {
        if (entry.path().extension() == ".sql") migrations.push_back(entry.path());
    }
    std::sort(migrations.begin(), migrations.end());
    for (const auto& migration : migrations) exec(db_, read_file(migration));
}

SqliteLoop::~SqliteLoop() { sqlite3_close_v2(db_); }

RunFigures SqliteLoop::run(uint32_t, uint32_t rows, uint32_t payload_bytes, double duration_s) {
    sqlite3_stmt* insert = nullptr;
    check(db_, sqlite3_prepare_v2(db_, kInsert, -1, &insert, nullptr), "prepare");
    const std::string payload(payload_bytes, 'x');
    std::mt19937_64 random{std::random_device{}()};
    Latencies latencies;
    RunFigures figures;
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(duration_s);
    while (std::chrono::steady_clock::now() < end) {
        const auto began = std::chrono::steady_clock::now();
        const std::string stream = run_prefix() + "-sqlite-" + std::to_string(++transactions_);
        exec(db_, "BEGIN IMMEDIATE");
        for (uint32_t row = 1; row <= rows; ++row) {
            char event_id[37];
            const uint64_t a = random(), b = random();
            std::snprintf(event_id, sizeof event_id, "%08x-%04x-4%03x-8%03x-%012llx",
                          static_cast<unsigned>(a), static_cast<unsigned>(a >> 32) & 0xffff,
                          static_cast<unsigned>(a >> 48) & 0xfff,
                          static_cast<unsigned>(b) & 0xfff,
                          static_cast<unsigned long long>(b >> 16) & 0xffffffffffffULL);
            sqlite3_bind_blob(insert, 1, stream.data(), static_cast<int>(stream.size()), SQLITE_STATIC);
            sqlite3_bind_int64(insert, 2, row);
            sqlite3_bind_blob(insert, 3, event_id, 36, SQLITE_STATIC);
            sqlite3_bind_blob(insert, 4, kEventType, static_cast<int>(std::strlen(kEventType)), SQLITE_STATIC);
            sqlite3_bind_blob(insert, 5, kContentType, static_cast<int>(std::strlen(kContentType)), SQLITE_STATIC);
            sqlite3_bind_blob(insert, 6, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
            sqlite3_bind_int64(insert, 7, now_us());
            check(db_, sqlite3_step(insert), "insert");
            sqlite3_reset(insert);
        }
        exec(db_, "COMMIT");
        latencies.push_back(static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                      std::chrono::steady_clock::now() - began)
                                                      .count()));
        ++figures.calls;
        figures.events += rows;
    }
    sqlite3_finalize(insert);
    figures.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    figures.summarise(latencies);
    return figures;
}

}  // namespace eventstore::bench
