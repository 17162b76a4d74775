// Fuzz target: requests as a client sends them (serialized protobuf, any bytes) through the
// server's EventStoreService (translation, validation, paging) into a memory store loaded from its
// .so. Each input is a sequence of Append / ReadStream / ReadAll calls on a fresh store; after
// each, the contract's promises are checked (only the documented statuses; an acknowledged append
// reads back where it was placed; pages ascend, respect their size and filter).
#include <algorithm>

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

#include "fuzz_input.hpp"
#include "fuzz_store.hpp"
#include "backend_hooks.hpp"
#include "rpc/event_store_service.hpp"

namespace eventstore::fuzz {
namespace {

using grpc::StatusCode;

bool one_of(StatusCode code, std::initializer_list<StatusCode> allowed) {
    return std::find(allowed.begin(), allowed.end(), code) != allowed.end();
}

class Session {
public:
    Session()
        : store_(open_fuzz_store(std::make_shared<server::BackendHooks>(notifier_))),
          config_(make_config()),
          service_(*store_, notifier_, config_) {}

    void run(const Operation& operation) {
        switch (operation.kind % 3) {
        case 0: return append(operation.body);
        case 1: return read_stream(operation.body);
        default: return read_all(operation.body);
        }
    }

private:
    static server::Config make_config() {
        server::Config config;
        config.limits = fuzz_limits();
        return config;
    }

    void append(std::string_view body) {
        v1::AppendRequest request;
        if (!request.ParseFromArray(body.data(), static_cast<int>(body.size()))) return;
        v1::AppendResponse response;
        const grpc::Status status = service_.append_blocking(context_, request, response);
        require(one_of(status.error_code(),
                       {StatusCode::OK, StatusCode::INVALID_ARGUMENT, StatusCode::RESOURCE_EXHAUSTED,
                        StatusCode::FAILED_PRECONDITION, StatusCode::ALREADY_EXISTS}),
                "Append answers only the documented statuses");
        if (!status.ok()) return;
        const uint64_t count = request.events_size();
        require(response.last_global_position() - response.first_global_position() + 1 == count,
                "an append's positions span its events");
        require(response.current_version() >= count, "an append's version counts its events");

        v1::ReadStreamRequest read;
        read.set_stream_id(request.stream_id());
        read.set_from_version(response.current_version() - count + 1);
        read.set_max_count(static_cast<uint32_t>(count));
        read.set_forward(true);
        v1::ReadStreamResponse page;
        require(service_.ReadStream(&context_, &read, &page).ok(), "an acknowledged stream reads");
        require(static_cast<uint64_t>(page.events_size()) == count,
                "an acknowledged append reads back whole");
        for (int i = 0; i < page.events_size(); ++i) {
            const auto& sent = request.events(i).metadata().event_id();
            require(sent.empty() || page.events(i).metadata().event_id() == sent,
                    "an acknowledged event reads back with its id");
            require(page.events(i).global_position() == response.first_global_position() + i,
                    "an acknowledged event reads back at its position");
        }
    }

    void read_stream(std::string_view body) {
        v1::ReadStreamRequest request;
        if (!request.ParseFromArray(body.data(), static_cast<int>(body.size()))) return;
        v1::ReadStreamResponse page;
        const grpc::Status status = service_.ReadStream(&context_, &request, &page);
        require(one_of(status.error_code(),
                       {StatusCode::OK, StatusCode::INVALID_ARGUMENT, StatusCode::NOT_FOUND}),
                "ReadStream answers only the documented statuses");
        if (!status.ok()) return;
        require(page.events_size() <= static_cast<int>(config_.limits.max_page_size),
                "a stream page respects the page cap");
        for (int i = 0; i < page.events_size(); ++i) {
            const auto& event = page.events(i);
            require(event.stream_id() == request.stream_id(), "a stream page holds its stream");
            if (i > 0) {
                const uint64_t before = page.events(i - 1).stream_version();
                require(event.stream_version() == (request.forward() ? before + 1 : before - 1),
                        "a stream page's versions are consecutive");
            }
        }
    }

    void read_all(std::string_view body) {
        v1::ReadAllRequest request;
        if (!request.ParseFromArray(body.data(), static_cast<int>(body.size()))) return;
        v1::ReadAllResponse page;
        require(service_.ReadAll(&context_, &request, &page).ok(), "ReadAll succeeds");
        require(page.events_size() <= static_cast<int>(config_.limits.max_page_size),
                "a log page respects the page cap");
        uint64_t last = request.after_global_position();
        for (const auto& event : page.events()) {
            require(event.global_position() > last, "a log page ascends after its position");
            require(event.stream_id().rfind(request.stream_prefix(), 0) == 0,
                    "a log page holds only its prefix");
            last = event.global_position();
        }
        require(page.last_scanned_position() >= last, "a log page's scan covers its events");
    }

    server::CommitNotifier notifier_;
    std::unique_ptr<loader::Store> store_;
    server::Config config_;
    server::EventStoreService service_;
    // A call's context as the service reads it (auth is off: no metadata); never sent anywhere.
    grpc::ServerContext context_;
};

}  // namespace
}  // namespace eventstore::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bool quiet = [] {
        spdlog::set_level(spdlog::level::off);
        google::protobuf::SetLogHandler(nullptr);  // no line per request with invalid UTF-8
        return true;
    }();
    (void)quiet;
    eventstore::fuzz::Session session;
    eventstore::fuzz::Operations operations(data, size);
    for (eventstore::fuzz::Operation operation; operations.next(operation);) session.run(operation);
    return 0;
}
