// backup.hpp: an online copy of an event store database, taken with SQLite's backup API while a
// server may be appending to it (docs/sqlite-backend.md, "Backup").
//
// The copy is one read snapshot of the source, taken in one backup step: in WAL mode that neither
// waits for the writer nor makes it wait, and the copy holds every event committed before the
// snapshot began (so every event acknowledged before the backup started), and none half.
#ifndef EVENTSTORE_PLUGINS_SQLITE_BACKUP_HPP
#define EVENTSTORE_PLUGINS_SQLITE_BACKUP_HPP

#include <cstdint>
#include <string>

#include "eventstore/status.hpp"

namespace eventstore::sqlite {

struct BackupOutcome {
    uint64_t head = 0;  // the last position in the copy
};

// Copies the event store database `source` to the new file `copy`. FAILED_PRECONDITION naming
// the file when `copy` exists, or when `source` is not an event store database this plugin knows;
// SQLite's failures as sqlite_errors.hpp maps them. A failed backup removes its partial copy.
Result<BackupOutcome> backup(const std::string& source, const std::string& copy);

}  // namespace eventstore::sqlite

#endif
