// event_reader.hpp: read_stream and read_all on a borrowed connection.
//
// Each read runs in one read transaction: the page and the number its summary needs (the
// stream's current version, or the head of the log) come from one snapshot, so the summary always
// agrees with the rows. The log is written by one writer, in position order, one transaction at a
// time, so a snapshot holds every position up to its head: a page never shows a position that a
// lower one could later precede (the visibility rule). In WAL mode a read never waits for the
// writer, nor the writer for a read. Paging summaries: eventstore/page_rules.hpp.
//
// Thread safety: stateless; one call per connection at a time.
#ifndef EVENTSTORE_PLUGINS_SQLITE_EVENT_READER_HPP
#define EVENTSTORE_PLUGINS_SQLITE_EVENT_READER_HPP

#include <memory>

#include "connection.hpp"
#include "eventstore/plugin.hpp"

namespace eventstore::sqlite {

// NOT_FOUND for a stream without events. SQLite's failures throw SqliteError.
Result<std::unique_ptr<plugin::Iterator>> read_stream(Connection& connection,
                                                      const es_read_stream_request& request);
Result<std::unique_ptr<plugin::Iterator>> read_all(Connection& connection,
                                                   const es_read_all_request& request);

}  // namespace eventstore::sqlite

#endif
