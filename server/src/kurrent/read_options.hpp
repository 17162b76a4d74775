// read_options.hpp: a KurrentDB ReadReq checked and taken apart (read.cpp serves it): which of the
// protocol's read forms it is, where it starts, its count, its filter and the UUID form. Every
// request the protocol cannot carry is refused here, before anything is read
// (docs/kurrent-protocol.md, "Reads and subscriptions").
#ifndef EVENTSTORE_SERVER_KURRENT_READ_OPTIONS_HPP
#define EVENTSTORE_SERVER_KURRENT_READ_OPTIONS_HPP

#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.hpp"
#include "kurrent/translate.hpp"
#include "streams.pb.h"

namespace eventstore::server::kurrent {

// A filter of $all (FilterOptions) on the stream id or on the event type, as KurrentDB's
// EventFilter: a non-empty regex is searched for in the name (.NET's Regex.IsMatch: anywhere in
// it, not the whole name), with ECMAScript syntax (lookahead included, which the Python client's
// default filter needs); else the name starts with one of the prefixes (none: every name).
class EventFilter {
public:
    // INVALID_ARGUMENT for a regex that does not compile, or no filter case set.
    static Result<EventFilter> make(const event_store::client::streams::ReadReq::Options::FilterOptions& options);

    bool matches(std::string_view stream_id, std::string_view type) const;
    // The one stream prefix the backend can filter by (read_all's stream_prefix): set only for a
    // filter on the stream id by exactly one prefix; empty otherwise.
    std::string backend_prefix() const;

private:
    bool on_type_ = false;
    std::vector<std::string> prefixes_;
    std::shared_ptr<const std::regex> regex_;  // set when the filter is a regex
};

struct ReadOptions {
    enum class From { start, end, point };

    bool all = false;         // $all; else the stream `stream`
    std::string stream;
    bool forward = true;
    bool subscription = false;
    uint64_t count = 0;       // at most this many events (count reads)
    From from = From::start;
    uint64_t point = 0;       // with From::point: a revision (stream) or a commit position ($all)
    std::optional<EventFilter> filter;  // $all only
    // Filtered subscriptions: a checkpoint every this many positions scanned (window x
    // checkpointIntervalMultiplier; a window of `count` is KurrentDB's 32).
    uint64_t checkpoint_interval = 0;
    UuidForm uuid = UuidForm::string;
};

// INVALID_ARGUMENT naming what is missing, unknown or out of range; nothing is read then.
Result<ReadOptions> parse(const event_store::client::streams::ReadReq& request);

}  // namespace eventstore::server::kurrent

#endif
