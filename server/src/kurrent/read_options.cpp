#include "kurrent/read_options.hpp"

namespace eventstore::server::kurrent {
namespace {

using Options = event_store::client::streams::ReadReq::Options;

// KurrentDB's window when the filter asks for `count` (Enumerator.DefaultReadBatchSize).
constexpr uint64_t kDefaultWindow = 32;

Status invalid(const std::string& message) { return Status(Code::invalid_argument, message); }

}  // namespace

Result<EventFilter> EventFilter::make(const Options::FilterOptions& options) {
    EventFilter filter;
    const Options::FilterOptions::Expression* expression = nullptr;
    switch (options.filter_case()) {
    case Options::FilterOptions::kStreamIdentifier: expression = &options.stream_identifier(); break;
    case Options::FilterOptions::kEventType:
        expression = &options.event_type();
        filter.on_type_ = true;
        break;
    case Options::FilterOptions::FILTER_NOT_SET:
        return invalid("ReadReq.options.filter sets neither stream_identifier nor event_type");
    }
    if (!expression->regex().empty()) {
        try {
            filter.regex_ = std::make_shared<const std::regex>(
                expression->regex(), std::regex::ECMAScript | std::regex::optimize);
        } catch (const std::regex_error& error) {
            return invalid("ReadReq.options.filter regex '" + expression->regex().substr(0, 200) +
                           "' is not a valid regular expression: " + error.what());
        }
    } else {
        filter.prefixes_.assign(expression->prefix().begin(), expression->prefix().end());
    }
    return filter;
}

bool EventFilter::matches(std::string_view stream_id, std::string_view type) const {
    const std::string_view name = on_type_ ? type : stream_id;
    if (regex_) return std::regex_search(name.begin(), name.end(), *regex_);
    if (prefixes_.empty()) return true;
    for (const std::string& prefix : prefixes_) {
        if (name.substr(0, prefix.size()) == prefix) return true;
    }
    return false;
}

std::string EventFilter::backend_prefix() const {
    if (on_type_ || regex_ || prefixes_.size() != 1) return {};
    return prefixes_.front();
}

Result<ReadOptions> parse(const event_store::client::streams::ReadReq& request) {
    if (!request.has_options()) return invalid("ReadReq.options is required");
    const Options& options = request.options();
    ReadOptions read;
    switch (options.stream_option_case()) {
    case Options::kStream: {
        const Options::StreamOptions& stream = options.stream();
        read.stream = stream_of(stream.stream_identifier());
        if (read.stream.empty()) return invalid("ReadReq.options.stream.stream_identifier is required");
        if (Status s = check_not_system_stream(read.stream); !s.ok()) return s;
        switch (stream.revision_option_case()) {
        case Options::StreamOptions::kRevision:
            read.from = ReadOptions::From::point;
            read.point = stream.revision();
            break;
        case Options::StreamOptions::kStart: read.from = ReadOptions::From::start; break;
        case Options::StreamOptions::kEnd: read.from = ReadOptions::From::end; break;
        case Options::StreamOptions::REVISION_OPTION_NOT_SET:
            return invalid("ReadReq.options.stream sets none of revision, start, end");
        }
        break;
    }
    case Options::kAll:
        read.all = true;
        switch (options.all().all_option_case()) {
        case Options::AllOptions::kPosition:
            read.from = ReadOptions::From::point;
            read.point = options.all().position().commit_position();
            break;
        case Options::AllOptions::kStart: read.from = ReadOptions::From::start; break;
        case Options::AllOptions::kEnd: read.from = ReadOptions::From::end; break;
        case Options::AllOptions::ALL_OPTION_NOT_SET:
            return invalid("ReadReq.options.all sets none of position, start, end");
        }
        break;
    case Options::STREAM_OPTION_NOT_SET:
        return invalid("ReadReq.options sets neither stream nor all");
    }
    switch (options.read_direction()) {
    case Options::Forwards: read.forward = true; break;
    case Options::Backwards: read.forward = false; break;
    default: return invalid("ReadReq.options.read_direction is neither Forwards nor Backwards");
    }
    switch (options.count_option_case()) {
    case Options::kCount:
        if (options.count() == 0) return invalid("ReadReq.options.count must be at least 1");
        read.count = options.count();
        break;
    case Options::kSubscription:
        if (!read.forward) return invalid("a subscription (ReadReq.options.subscription) reads forwards only");
        read.subscription = true;
        break;
    case Options::COUNT_OPTION_NOT_SET:
        return invalid("ReadReq.options sets neither count nor subscription");
    }
    switch (options.filter_option_case()) {
    case Options::kFilter: {
        if (!read.all) return invalid("ReadReq.options.filter applies to $all only (a stream read takes no_filter)");
        const Options::FilterOptions& filter = options.filter();
        uint64_t window = kDefaultWindow;
        switch (filter.window_case()) {
        case Options::FilterOptions::kMax:
            if (filter.max() == 0) return invalid("ReadReq.options.filter.max must be at least 1");
            window = filter.max();
            break;
        case Options::FilterOptions::kCount: break;
        case Options::FilterOptions::WINDOW_NOT_SET:
            return invalid("ReadReq.options.filter sets neither max nor count");
        }
        if (read.subscription && filter.checkpointintervalmultiplier() == 0) {
            return invalid("ReadReq.options.filter.checkpointIntervalMultiplier must be at least 1");
        }
        read.checkpoint_interval = window * filter.checkpointintervalmultiplier();
        auto made = EventFilter::make(filter);
        if (!made.ok()) return made.status();
        read.filter = std::move(made.value());
        break;
    }
    case Options::kNoFilter: break;
    case Options::FILTER_OPTION_NOT_SET:
        return invalid("ReadReq.options sets neither filter nor no_filter");
    }
    switch (options.uuid_option().content_case()) {
    case Options::UUIDOption::kStructured: read.uuid = UuidForm::structured; break;
    case Options::UUIDOption::kString: read.uuid = UuidForm::string; break;
    case Options::UUIDOption::CONTENT_NOT_SET:
        return invalid("ReadReq.options.uuid_option sets neither structured nor string");
    }
    return read;
}

}  // namespace eventstore::server::kurrent
