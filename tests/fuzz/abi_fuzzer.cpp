// Fuzz target: the memory backend through the plugin ABI alone, as any host could call it, without
// the server's validation in front: arbitrary bytes in every field (not UTF-8, NUL, empty, over
// the limits), missing events, unknown expected kinds, any version, position, page size and scan
// bound. The plugin's own rules (the C++ helper) must refuse what is invalid with a documented
// status, and what it accepts must read back byte for byte.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"
#include "fuzz_input.hpp"
#include "fuzz_store.hpp"

namespace eventstore::fuzz {
namespace {

class QuietHooks : public loader::StoreHooks {
public:
    void log(es_log_level, std::string_view) override {}
    void committed(uint64_t) override {}
};

bool one_of(Code code, std::initializer_list<Code> allowed) {
    return std::find(allowed.begin(), allowed.end(), code) != allowed.end();
}

// The event a body describes, owning its bytes; the request borrows them.
struct OwnedEvent {
    bool missing = false;  // sent as a null pointer
    std::string id, type, content_type, tenant, payload;
    std::vector<std::pair<std::string, std::string>> headers;
};

// Ids either from a small set of canonical UUIDs (so that inputs repeat and retry them) or raw.
std::string event_id(ByteReader& in) {
    const uint8_t choice = in.number<uint8_t>();
    if (choice < 192) {
        char id[37];
        std::snprintf(id, sizeof(id), "00000000-0000-7000-8000-%012x", choice % 16);
        return id;
    }
    return std::string(in.string(40));
}

// Adds `event` to `append`, borrowing its bytes.
void add(abi::AppendBuilder& append, const OwnedEvent& event) {
    const size_t index = append.event_count();
    es_event_data& data = append.add_event();
    data.event_id = abi::bytes(event.id);
    data.type_name = abi::bytes(event.type);
    data.content_type = abi::bytes(event.content_type);
    data.tenant_id = abi::bytes(event.tenant);
    data.payload = abi::bytes(event.payload);
    for (const auto& [key, value] : event.headers) append.add_header(index, key, value);
    if (event.missing) append.send_null(index);
}

bool same(const es_recorded_event& stored, const OwnedEvent& sent) {
    if (abi::view(stored.event_id) != sent.id || abi::view(stored.type_name) != sent.type ||
        abi::view(stored.content_type) != sent.content_type ||
        abi::view(stored.tenant_id) != sent.tenant || abi::view(stored.payload) != sent.payload ||
        stored.header_count != sent.headers.size()) {
        return false;
    }
    for (size_t h = 0; h < stored.header_count; ++h) {
        if (abi::view(stored.headers[h].key) != sent.headers[h].first ||
            abi::view(stored.headers[h].value) != sent.headers[h].second) {
            return false;
        }
    }
    return true;
}

class Session {
public:
    Session() : store_(open_fuzz_store(std::make_shared<QuietHooks>())) {}

    void run(const Operation& operation) {
        ByteReader in(operation.body);
        switch (operation.kind % 3) {
        case 0: return append(in);
        case 1: return read_stream(in);
        default: return read_all(in);
        }
    }

private:
    void append(ByteReader& in) {
        abi::AppendBuilder append;
        es_append_request& request = append.request();
        request.expected_kind = in.number<uint8_t>() % 6;  // 4 and 5 are kinds no one defined
        request.expected_version = in.number<uint8_t>() % 8;
        const std::string stream(in.string(40));
        request.stream_id = abi::bytes(stream);
        std::vector<OwnedEvent> events(in.number<uint8_t>() % 10);
        for (auto& event : events) {
            event.missing = in.number<uint8_t>() == 0xff;
            event.id = event_id(in);
            event.type = in.string(8);
            event.content_type = in.string(4);
            event.tenant = in.string(4);
            for (int h = in.number<uint8_t>() % 3; h > 0; --h) {
                std::string key(in.string(4));  // read in order: key, then value
                event.headers.emplace_back(std::move(key), in.string(4));
            }
            event.payload = in.string();
            add(append, event);
        }

        bool retry = false;
        for (const auto& event : events) retry = retry || stored_ids_.count(event.id) > 0;
        es_append_result result = abi::make_struct<es_append_result>();
        const Status status = store_->append(request, result);
        require(one_of(status.code(), {Code::ok, Code::invalid_argument, Code::resource_exhausted,
                                       Code::failed_precondition, Code::already_exists}),
                "append answers only the documented statuses");
        if (!status.ok()) return;
        require(result.last_global_position - result.first_global_position + 1 == events.size(),
                "an append's positions span its events");
        for (const auto& event : events) stored_ids_.insert(event.id);

        es_read_stream_request read = abi::make_struct<es_read_stream_request>();
        read.forward = true;
        read.stream_id = request.stream_id;
        read.from_version = result.current_version - events.size() + 1;
        read.max_count = static_cast<uint32_t>(events.size());
        auto iterator = store_->read_stream(read);
        require(iterator.ok(), "an acknowledged stream reads");
        es_recorded_event stored = abi::make_struct<es_recorded_event>();
        for (size_t i = 0; i < events.size(); ++i) {
            auto next = iterator.value()->next(stored);
            require(next.ok() && next.value(), "an acknowledged append reads back whole");
            require(abi::view(stored.stream_id) == stream, "it reads back in its stream");
            require(stored.global_position == result.first_global_position + i,
                    "it reads back at its position");
            require(retry ? abi::view(stored.event_id) == events[i].id : same(stored, events[i]),
                    "it reads back byte for byte");
        }
    }

    void read_stream(ByteReader& in) {
        es_read_stream_request read = abi::make_struct<es_read_stream_request>();
        read.forward = in.number<uint8_t>() & 1;
        const std::string stream(in.string(40));
        read.stream_id = abi::bytes(stream);
        read.from_version = in.number<uint8_t>() == 0xff ? in.number<uint64_t>() : in.number<uint8_t>();
        read.max_count = in.number<uint32_t>();
        auto iterator = store_->read_stream(read);
        require(one_of(iterator.status().code(),
                       {Code::ok, Code::invalid_argument, Code::not_found}),
                "read_stream answers only the documented statuses");
        if (!iterator.ok()) return;
        es_recorded_event event = abi::make_struct<es_recorded_event>();
        uint64_t count = 0, last = 0;
        for (;;) {
            auto next = iterator.value()->next(event);
            require(next.ok(), "a stream iterator does not fail");
            if (!next.value()) break;
            require(abi::view(event.stream_id) == stream, "a stream page holds its stream");
            require(count == 0 || event.stream_version == (read.forward ? last + 1 : last - 1),
                    "a stream page's versions are consecutive");
            last = event.stream_version;
            require(++count <= fuzz_limits().max_page_size, "a stream page respects the cap");
        }
        require(iterator.value()->page().ok(), "a stream page has its summary");
    }

    void read_all(ByteReader& in) {
        es_read_all_request read = abi::make_struct<es_read_all_request>();
        read.after_position = in.number<uint8_t>() == 0xff ? in.number<uint64_t>() : in.number<uint8_t>();
        read.max_count = in.number<uint32_t>();
        const std::string prefix(in.string(8));
        read.stream_prefix = abi::bytes(prefix);
        read.max_scan = in.number<uint8_t>() == 0xff ? in.number<uint64_t>() : in.number<uint8_t>();
        auto iterator = store_->read_all(read);
        require(iterator.ok(), "read_all succeeds");
        es_recorded_event event = abi::make_struct<es_recorded_event>();
        uint64_t count = 0, last = read.after_position;
        for (;;) {
            auto next = iterator.value()->next(event);
            require(next.ok(), "a log iterator does not fail");
            if (!next.value()) break;
            require(event.global_position > last, "a log page ascends after its position");
            require(abi::view(event.stream_id).substr(0, prefix.size()) == prefix,
                    "a log page holds only its prefix");
            last = event.global_position;
            require(++count <= fuzz_limits().max_page_size, "a log page respects the cap");
        }
        auto page = iterator.value()->page();
        require(page.ok(), "a log page has its summary");
        require(page.value().last_scanned_position >= last, "a log page's scan covers its events");
        if (read.max_scan > 0 && read.after_position <= UINT64_MAX - read.max_scan) {
            require(page.value().last_scanned_position <= read.after_position + read.max_scan,
                    "a log page scans no further than max_scan");
        }
    }

    std::unique_ptr<loader::Store> store_;
    std::set<std::string> stored_ids_;
};

}  // namespace
}  // namespace eventstore::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    eventstore::fuzz::Session session;
    eventstore::fuzz::Operations operations(data, size);
    for (eventstore::fuzz::Operation operation; operations.next(operation);) session.run(operation);
    return 0;
}
