#include "kurrent/read_sources.hpp"

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

#include "eventstore/abi_struct.hpp"
#include "eventstore/validation.hpp"
#include "kurrent/errors.hpp"
#include "kurrent/read_encoding.hpp"
#include "rpc/errors.hpp"
#include "rpc/page_reader.hpp"
#include "rpc/translate.hpp"

namespace eventstore::server::kurrent {
namespace {

using event_store::client::streams::ReadResp;

// The events asked for per backend read (the backend's page cap applies too).
constexpr uint64_t kPageEvents = 256;
// $all backwards: the first window of positions, and the largest it grows to.
constexpr uint64_t kFirstWindow = 64;
constexpr uint64_t kMaxWindow = 64 * 1024;

uint32_t page_size(const ReadContext& context, uint64_t remaining) {
    return validation::effective_page_size(
        static_cast<uint32_t>(std::min(remaining, kPageEvents)), context.config.limits);
}

grpc::Status backend_failed(const ReadContext& context, const Status& status) {
    return backend_to_grpc(status, context.call);
}

// A stream, forwards or backwards, from a version (0 backwards: from the last).
class StreamSource final : public ReadSource {
public:
    StreamSource(ReadContext context, const ReadOptions& options, uint64_t from_version)
        : context_(std::move(context)),
          stream_(options.stream),
          forward_(options.forward),
          uuid_(options.uuid),
          remaining_(options.count),
          from_version_(from_version) {}

    grpc::Status next(std::deque<grpc::ByteBuffer>& out, bool& done) override {
        v1::ReadStreamRequest request;
        request.set_stream_id(stream_);
        request.set_from_version(from_version_);
        request.set_max_count(page_size(context_, remaining_));
        request.set_forward(forward_);
        const auto read = read_stream_request(request, context_.caller.tenant(),
                                              context_.config.limits, context_.deadline());
        if (!read.ok()) return to_grpc(read.status(), context_.call);
        auto iterator = context_.store.read_stream(read.value());
        if (!iterator.ok()) {
            done = true;
            if (iterator.status().code() != Code::not_found) {
                return backend_failed(context_, iterator.status());
            }
            if (context_.core.tombstoned(context_.call, read.value())) {
                return stream_deleted(context_.call, stream_);
            }
            if (first_) {
                ReadResp response;
                response.mutable_stream_not_found()->mutable_stream_identifier()->set_stream_name(stream_);
                out.push_back(to_buffer(response));
            }
            return grpc::Status::OK;
        }
        first_ = false;
        auto drained = drain(*iterator.value(), [&](const es_recorded_event& event) {
            if (!context_.caller.may_see(event)) return true;
            out.push_back(to_buffer(read_event_message(event, uuid_)));
            return --remaining_ > 0;
        });
        if (!drained.ok()) return backend_failed(context_, drained.status());
        if (drained->stopped_early || remaining_ == 0 || drained->page.end_of_stream) {
            done = true;
        } else {
            from_version_ = drained->page.next_from_version;
            done = from_version_ == 0;
        }
        return grpc::Status::OK;
    }

private:
    ReadContext context_;
    const std::string stream_;
    const bool forward_;
    const UuidForm uuid_;
    uint64_t remaining_;
    uint64_t from_version_;
    bool first_ = true;
};

// A read of $all: what it keeps of an event (what the caller may see and the filter lets
// through), and its pages.
class AllSource : public ReadSource {
protected:
    AllSource(ReadContext context, const ReadOptions& options)
        : context_(std::move(context)),
          filter_(options.filter),
          uuid_(options.uuid),
          remaining_(options.count) {}

    bool keeps(const es_recorded_event& event) const {
        return context_.caller.may_see(event) &&
               (!filter_ || filter_->matches(abi::view(event.stream_id), abi::view(event.type_name)));
    }

    // Where a page scanned to; `end` when nothing follows it for this read: `take` stopped, the
    // backend reached the head, or the page moved nothing.
    struct Scanned {
        uint64_t to = 0;
        bool end = false;
    };
    // One read_all page after `after`, every event to `take` until it returns false.
    Result<Scanned> scan(uint64_t after, uint64_t max_count, uint64_t max_scan,
                         const std::function<bool(const es_recorded_event&)>& take) const {
        const auto read = read_all_request(after, page_size(context_, max_count), context_.prefix,
                                           max_scan, context_.deadline());
        if (!read.ok()) return read.status();
        auto iterator = context_.store.read_all(read.value());
        if (!iterator.ok()) return iterator.status();
        auto drained = drain(*iterator.value(), take);
        if (!drained.ok()) return drained.status();
        Scanned scanned;
        scanned.to =
            drained->stopped_early ? drained->last_position : drained->page.last_scanned_position;
        scanned.end = drained->stopped_early || drained->page.reached_head || scanned.to <= after;
        return scanned;
    }

    ReadContext context_;
    const std::optional<EventFilter> filter_;
    const UuidForm uuid_;
    uint64_t remaining_;
};

// $all forwards: the events after `after`.
class AllForwardSource final : public AllSource {
public:
    AllForwardSource(ReadContext context, const ReadOptions& options, uint64_t after)
        : AllSource(std::move(context), options), after_(after) {}

    grpc::Status next(std::deque<grpc::ByteBuffer>& out, bool& done) override {
        auto scanned = scan(after_, remaining_, 0, [&](const es_recorded_event& event) {
            if (!keeps(event)) return true;
            out.push_back(to_buffer(read_event_message(event, uuid_)));
            return --remaining_ > 0;
        });
        if (!scanned.ok()) return backend_failed(context_, scanned.status());
        done = scanned->end || remaining_ == 0;
        after_ = scanned->to;
        return grpc::Status::OK;
    }

private:
    uint64_t after_;
};

// $all backwards from `upper` (inclusive): windows (lower, upper] read forwards, newest first,
// each answered in reverse. A window starts at kFirstWindow positions and doubles up to
// kMaxWindow while it holds fewer events than the count still asked for. What one window keeps is
// bounded by kResponseByteBudget: past it, its lowest events are dropped and the next window ends
// at the highest dropped position (read again then).
class AllBackwardSource final : public AllSource {
public:
    // `upper` unset: from the end of the log (log_upper_bound, found by the first page).
    AllBackwardSource(ReadContext context, const ReadOptions& options, std::optional<uint64_t> upper)
        : AllSource(std::move(context), options), upper_(upper) {}

    grpc::Status next(std::deque<grpc::ByteBuffer>& out, bool& done) override {
        if (!upper_) {
            const auto bound = log_upper_bound(context_);
            if (!bound.ok()) return backend_failed(context_, bound.status());
            upper_ = bound.value();
        }
        uint64_t& upper = *upper_;
        if (upper == 0) {
            done = true;
            return grpc::Status::OK;
        }
        const uint64_t lower = upper > window_ ? upper - window_ : 0;
        std::deque<std::pair<uint64_t, std::string>> kept;
        size_t bytes = 0;
        uint64_t dropped_to = 0;  // the highest position dropped from `kept`
        for (uint64_t after = lower; after < upper;) {
            auto scanned = scan(after, kPageEvents, upper - after, [&](const es_recorded_event& event) {
                if (event.global_position > upper) return false;
                if (!keeps(event)) return true;
                kept.emplace_back(event.global_position, read_event_message(event, uuid_));
                bytes += kept.back().second.size();
                while (bytes > kResponseByteBudget && kept.size() > 1) {
                    dropped_to = kept.front().first;
                    bytes -= kept.front().second.size();
                    kept.pop_front();
                }
                return true;
            });
            if (!scanned.ok()) return backend_failed(context_, scanned.status());
            if (scanned->end) break;
            after = scanned->to;
        }
        const bool full_window = dropped_to == 0;
        if (full_window && kept.size() < remaining_) window_ = std::min(window_ * 2, kMaxWindow);
        if (!full_window) window_ = std::max(window_ / 2, kFirstWindow);
        for (auto it = kept.rbegin(); it != kept.rend() && remaining_ > 0; ++it, --remaining_) {
            out.push_back(to_buffer(it->second));
        }
        upper = full_window ? lower : dropped_to;
        done = remaining_ == 0 || upper == 0;
        return grpc::Status::OK;
    }

private:
    std::optional<uint64_t> upper_;
    uint64_t window_ = kFirstWindow;
};

// Nothing to read (forwards from the end, backwards from the start of $all).
class EmptySource final : public ReadSource {
public:
    grpc::Status next(std::deque<grpc::ByteBuffer>&, bool& done) override {
        done = true;
        return grpc::Status::OK;
    }
};

// The first event of the log after `after` (unset: none), whatever its stream.
Result<std::optional<uint64_t>> first_after(ReadContext& context, uint64_t after) {
    for (;;) {
        const auto read = read_all_request(after, 1, "", 0, context.deadline());
        if (!read.ok()) return read.status();
        auto iterator = context.store.read_all(read.value());
        if (!iterator.ok()) return iterator.status();
        std::optional<uint64_t> found;
        auto drained = drain(*iterator.value(), [&](const es_recorded_event& event) {
            found = event.global_position;
            return false;
        });
        if (!drained.ok()) return drained.status();
        if (found) return found;
        if (drained->page.reached_head || drained->page.last_scanned_position <= after) {
            return std::optional<uint64_t>();
        }
        after = drained->page.last_scanned_position;
    }
}

}  // namespace

Result<uint64_t> log_upper_bound(ReadContext& context) {
    uint64_t bound = context.core.announced_head();
    for (uint64_t step = kMaxWindow;; step *= 2) {
        const auto next = first_after(context, bound);
        if (!next.ok()) return next.status();
        if (!next.value()) return bound;
        bound = *next.value() + step;
    }
}

Result<std::optional<uint64_t>> position_of(ReadContext& context, const std::string& stream,
                                            uint64_t version) {
    v1::ReadStreamRequest request;
    request.set_stream_id(stream);
    request.set_from_version(version);
    request.set_max_count(1);
    request.set_forward(true);
    const auto read = read_stream_request(request, context.caller.tenant(), context.config.limits,
                                          context.deadline());
    if (!read.ok()) return read.status();
    auto iterator = context.store.read_stream(read.value());
    if (!iterator.ok()) {
        if (iterator.status().code() == Code::not_found) return std::optional<uint64_t>();
        return iterator.status();
    }
    std::optional<uint64_t> position;
    auto drained = drain(*iterator.value(), [&](const es_recorded_event& event) {
        if (event.stream_version == version) position = event.global_position;
        return false;
    });
    if (!drained.ok()) return drained.status();
    return position;
}

std::unique_ptr<ReadSource> make_source(ReadContext context, const ReadOptions& options) {
    using From = ReadOptions::From;
    if (!options.all) {
        if (options.forward && options.from == From::end) return std::make_unique<EmptySource>();
        // Revision n is version n + 1; backwards from the end is from version 0.
        const uint64_t version = options.from == From::point ? version_of(options.point)
                                 : options.from == From::start ? 1
                                                               : 0;
        return std::make_unique<StreamSource>(std::move(context), options, version);
    }
    if (options.forward) {
        if (options.from == From::end) return std::make_unique<EmptySource>();
        // A forward read from a position includes it.
        const uint64_t after =
            options.from == From::point && options.point > 0 ? options.point - 1 : 0;
        return std::make_unique<AllForwardSource>(std::move(context), options, after);
    }
    if (options.from == From::start) return std::make_unique<EmptySource>();
    std::optional<uint64_t> upper;
    if (options.from == From::point) upper = options.point;
    return std::make_unique<AllBackwardSource>(std::move(context), options, upper);
}

}  // namespace eventstore::server::kurrent
