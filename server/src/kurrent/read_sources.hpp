// read_sources.hpp: the pages of a KurrentDB count read (Read with count_option `count`), each a
// bounded backend read turned into ReadResp messages: a stream forwards or backwards, $all
// forwards, and $all backwards, which the ABI cannot read (read_all reads forwards only): it reads
// forward windows of positions below an upper bound, newest window first, and answers each
// window reversed (docs/kurrent-protocol.md, "Reads and subscriptions"). Also the upper bound of
// the log ($all's `end`) for a backend that does not announce its commits. One thread at a time.
#ifndef EVENTSTORE_SERVER_KURRENT_READ_SOURCES_HPP
#define EVENTSTORE_SERVER_KURRENT_READ_SOURCES_HPP

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/status.h>

#include "config/config.hpp"
#include "eventstore/loader/store.hpp"
#include "kurrent/read_options.hpp"
#include "rpc/call_deadline.hpp"
#include "rpc/event_store_service.hpp"

namespace eventstore::server::kurrent {

// What every page of one call reads with.
struct ReadContext {
    loader::Store& store;
    EventStoreService& core;
    const Config& config;
    grpc::CallbackServerContext& call;
    Caller caller;
    std::string prefix;  // $all: the backend's stream prefix ("" for every stream)

    CallDeadline deadline() const { return {call, config.backend.timeout}; }
};

class ReadSource {
public:
    virtual ~ReadSource() = default;
    // Appends the next messages to `out` (possibly none, when a page held nothing to send).
    // Sets `done` once nothing more follows; a non-OK status ends the call with it.
    virtual grpc::Status next(std::deque<grpc::ByteBuffer>& out, bool& done) = 0;
};

// The source serving `options` (a count read, already admitted).
std::unique_ptr<ReadSource> make_source(ReadContext context, const ReadOptions& options);

// A global position with no event of the log after it ($all's `end`): the head the backend
// announced (CommitNotifier) when nothing follows it, else probed upwards from the last event
// found by steps that double from 65536 positions: one one-event read when the announced head is
// current, about log2(distance / 65536) otherwise. Errors: the backend's.
Result<uint64_t> log_upper_bound(ReadContext& context);

// The global position of the event at version `version` of `stream`; unset when the stream has
// no such event (or no such stream).
Result<std::optional<uint64_t>> position_of(ReadContext& context, const std::string& stream,
                                            uint64_t version);

}  // namespace eventstore::server::kurrent

#endif
