#include "backup.hpp"

#include <cstdio>
#include <filesystem>

#include "connection.hpp"
#include "migrations.hpp"
#include "sqlite_errors.hpp"

namespace eventstore::sqlite {

namespace {

constexpr const char* kHead = "SELECT coalesce(max(global_position), 0) FROM events";
constexpr uint32_t kBusyTimeoutMs = 5000;

}  // namespace

Result<BackupOutcome> backup(const std::string& source, const std::string& copy) {
    if (std::filesystem::exists(copy)) {
        return Status(Code::failed_precondition,
                      "sqlite: " + copy + ": the file exists; name a new file for the copy");
    }
    const Status outcome = guard(source, "read", [&]() -> Status {
        Connection from(source, SQLITE_OPEN_READONLY, kBusyTimeoutMs);
        const Result<int> checked = check_database(from, source, embedded_migrations());
        if (!checked.ok()) return checked.status();
        return guard(copy, "back up", [&]() -> Status {
            Connection to(copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, kBusyTimeoutMs);
            sqlite3_backup* job = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
            if (job == nullptr) to.check(sqlite3_errcode(to.handle()));
            const int stepped = sqlite3_backup_step(job, -1);  // all pages, one snapshot
            const int finished = sqlite3_backup_finish(job);
            to.check(stepped == SQLITE_DONE ? finished : stepped);
            return {};
        });
    });
    if (!outcome.ok()) {
        std::error_code ignored;
        std::filesystem::remove(copy, ignored);
        return outcome;
    }
    return guard(copy, "read the copy", [&]() -> Result<BackupOutcome> {
        Connection check(copy, SQLITE_OPEN_READONLY, kBusyTimeoutMs);
        Query head(check, kHead);
        return BackupOutcome{head.step() ? static_cast<uint64_t>(head.integer(0)) : 0};
    });
}

}  // namespace eventstore::sqlite
