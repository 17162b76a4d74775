// event_reader.hpp: read_stream and read_all as one statement each, on a borrowed connection.
//
// Each statement reads the page and the number it needs for the paging summary (the stream's
// current version, or the head of the log) from one snapshot, so the summary always agrees with
// the rows. read_all never returns a position above the head it read, and every position up to
// that head is committed (appends commit in position order), so a page never shows a position
// that a lower one could later precede: the visibility rule.
//
// The paging summaries are eventstore/page_rules.hpp's.
//
// Thread safety: stateless; one call per connection at a time.
#ifndef EVENTSTORE_PLUGINS_POSTGRES_EVENT_READER_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_EVENT_READER_HPP

#include <cstdint>
#include <memory>

#include <pqxx/connection>

#include "eventstore/plugin.hpp"

namespace eventstore::postgres {

// Runs the read; libpqxx exceptions go through to the caller. NOT_FOUND for a stream without
// events, and for a stream of another owner than request.owner_tenant (when set), alike.
Result<std::unique_ptr<plugin::Iterator>> read_stream(pqxx::connection& connection,
                                                      const es_read_stream_request& request);
Result<std::unique_ptr<plugin::Iterator>> read_all(pqxx::connection& connection,
                                                   const es_read_all_request& request);

}  // namespace eventstore::postgres

#endif
