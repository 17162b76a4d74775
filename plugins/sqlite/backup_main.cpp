// eventstore-sqlite-backup SOURCE COPY: an online copy of the sqlite backend's database
// (backup.hpp), safe while eventstored appends to SOURCE. Prints what it copied; exits 1 with the
// reason otherwise, 2 on a wrong command line.
#include <cstdio>
#include <string>

#include "backup.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr,
                     "usage: eventstore-sqlite-backup SOURCE COPY\n"
                     "  copies the event store database SOURCE (e.g. "
                     "/var/lib/eventstore/events.db) to the new file COPY,\n"
                     "  while a server may be appending to SOURCE\n");
        return 2;
    }
    const auto outcome = eventstore::sqlite::backup(argv[1], argv[2]);
    if (!outcome.ok()) {
        std::fprintf(stderr, "eventstore-sqlite-backup: %s\n", outcome.status().message().c_str());
        return 1;
    }
    std::printf("backed up %s to %s: events up to position %llu\n", argv[1], argv[2],
                static_cast<unsigned long long>(outcome.value().head));
    return 0;
}
