// The read scenarios: pages through one seeded stream (read-stream) or through the seeded part of
// the global log (read-all), over and over, --concurrency reads in flight.
#include "events.hpp"
#include "scenarios.hpp"

namespace eventstore::bench {
namespace {

// Streams the read-all seeding spreads its events over.
constexpr uint32_t kReadAllStreams = 100;

// Pages forward through versions 1..length of one stream, starting over at the end.
class ReadStreamSlot final
    : public UnarySlot<v1::EventStore::Stub, v1::ReadStreamRequest, v1::ReadStreamResponse> {
public:
    ReadStreamSlot(v1::EventStore::Stub& stub, std::string stream, uint64_t length,
                   uint32_t page_size, uint64_t first_version)
        : UnarySlot(stub, &v1::EventStore::Stub::AsyncReadStream),
          length_(length),
          next_(first_version) {
        request().set_stream_id(std::move(stream));
        request().set_max_count(page_size);
        request().set_forward(true);
    }

    uint64_t completed() override {
        next_ = response().next_from_version();
        if (response().end_of_stream() || next_ > length_) next_ = 1;
        return response().events_size();
    }

private:
    void prepare(v1::ReadStreamRequest& request) override { request.set_from_version(next_); }

    const uint64_t length_;
    uint64_t next_;
};

// Pages forward through global positions (first, last], starting over at the end.
class ReadAllSlot final
    : public UnarySlot<v1::EventStore::Stub, v1::ReadAllRequest, v1::ReadAllResponse> {
public:
    ReadAllSlot(v1::EventStore::Stub& stub, Seeded range, uint32_t page_size, uint64_t after)
        : UnarySlot(stub, &v1::EventStore::Stub::AsyncReadAll), range_(range), after_(after) {
        request().set_max_count(page_size);
    }

    uint64_t completed() override {
        after_ = response().last_scanned_position();
        if (response().reached_head() || after_ >= range_.last_position) {
            after_ = range_.first_position - 1;
        }
        return response().events_size();
    }

private:
    void prepare(v1::ReadAllRequest& request) override { request.set_after_global_position(after_); }

    const Seeded range_;
    uint64_t after_;
};

// Where slot `i` of `n` starts in a range of `length` items, on a page boundary.
uint64_t stagger(uint32_t i, uint32_t n, uint64_t length, uint32_t page_size) {
    return (length * i / n) / page_size * page_size;
}

}  // namespace

std::unique_ptr<CallSlot> read_all_slot(v1::EventStore::Stub& stub, Seeded range,
                                        uint32_t page_size, uint64_t after) {
    return std::make_unique<ReadAllSlot>(stub, range, page_size, after);
}

std::vector<std::unique_ptr<CallSlot>> read_all_slots(const Target& target, Seeded range,
                                                      uint32_t page_size, uint32_t concurrency) {
    const uint64_t length = range.last_position - range.first_position + 1;
    std::vector<std::unique_ptr<CallSlot>> made;
    for (uint32_t i = 0; i < concurrency; ++i) {
        made.push_back(read_all_slot(target.stub(i), range, page_size,
                                     range.first_position - 1 +
                                         stagger(i, concurrency, length, page_size)));
    }
    return made;
}

std::vector<std::unique_ptr<CallSlot>> read_stream_slots(const Target& target,
                                                         const std::string& stream,
                                                         uint64_t length, uint32_t page_size,
                                                         uint32_t concurrency) {
    std::vector<std::unique_ptr<CallSlot>> made;
    for (uint32_t i = 0; i < concurrency; ++i) {
        made.push_back(std::make_unique<ReadStreamSlot>(
            target.stub(i), stream, length, page_size, 1 + stagger(i, concurrency, length, page_size)));
    }
    return made;
}

std::vector<Point> run_read(const std::string& name, Bench& bench) {
    const Options& o = bench.options;
    const bool whole_log = name == "read-all";
    std::vector<std::string> streams;
    for (uint32_t k = 0; k < (whole_log ? kReadAllStreams : 1); ++k) {
        streams.push_back(run_prefix() + "-" + name + "-" + std::to_string(k));
    }
    const Seeded project_range = seed(bench.project, streams, o.seed_events, o.payload_bytes);
    Seeded peer_range;
    const auto peer_ready = [&](Target& peer) {
        peer_range = seed(peer, streams, o.seed_events, o.payload_bytes);
    };

    std::vector<Point> points;
    for (uint32_t concurrency : o.concurrency) {
        const SlotFactory slots = [&, concurrency](Target& target, Protocol) {
            if (!whole_log) {
                return read_stream_slots(target, streams[0], o.seed_events, o.page_size, concurrency);
            }
            const Seeded range = &target == &bench.project ? project_range : peer_range;
            return read_all_slots(target, range, o.page_size, concurrency);
        };
        std::map<std::string, double> parameters{
            {"concurrency", concurrency}, {"page_size", o.page_size},
            {"payload", o.payload_bytes}, {"seed_events", static_cast<double>(o.seed_events)}};
        // The peer server is seeded once, before its first point.
        points.push_back(measure_closed_loop(
            name, bench, parameters, slots,
            points.empty() ? std::function<void(Target&)>(peer_ready) : nullptr));
    }
    return points;
}

}  // namespace eventstore::bench
