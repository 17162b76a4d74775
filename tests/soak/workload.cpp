#include "workload.hpp"

#include <algorithm>
#include <random>

#include "eventstore/v1/eventstore.grpc.pb.h"

namespace eventstore::test::soak {
namespace {

using namespace std::chrono_literals;

constexpr int kRetryEvery = 20;      // every 20th append of a writer is sent twice
constexpr uint32_t kStreamPage = 100;
constexpr uint32_t kMaxLogPage = 1000;

std::unique_ptr<grpc::ClientContext> with_deadline() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + 30s);
    return context;
}

std::string random_uuid(std::mt19937_64& random) {
    static const char* kHex = "0123456789abcdef";
    std::string id(36, '-');
    for (size_t i = 0; i < id.size(); ++i) {
        if (i != 8 && i != 13 && i != 18 && i != 23) id[i] = kHex[random() & 15];
    }
    return id;
}

std::string failed(const char* what, const grpc::Status& status) {
    return std::string(what) + ": " + std::to_string(status.error_code()) + " " +
           status.error_message();
}

}  // namespace

struct Workload::Subscriber {
    std::string prefix;
    grpc::ClientContext context;
    std::atomic<uint64_t> reported{0};  // the highest position an event or report carried
    mutable std::mutex mutex;
    std::vector<uint64_t> positions;
    std::thread thread;
};

Workload::Workload(std::function<std::shared_ptr<grpc::Channel>()> connect, Shape shape,
                   Ledger& ledger)
    : connect_(std::move(connect)), shape_(shape), ledger_(ledger) {}

Workload::~Workload() {
    stop_load();
    for (auto& subscriber : subscribers_) {
        subscriber->context.TryCancel();
        if (subscriber->thread.joinable()) subscriber->thread.join();
    }
}

void Workload::start() {
    for (int w = 0; w < shape_.writers; ++w) load_threads_.emplace_back([this, w] { write(w); });
    for (int r = 0; r < shape_.stream_readers; ++r) {
        load_threads_.emplace_back([this, r] { read_streams(r); });
    }
    for (int r = 0; r < shape_.log_readers; ++r) {
        load_threads_.emplace_back([this, r] { read_log(r); });
    }
    for (int s = 0; s < shape_.subscribers; ++s) {
        auto subscriber = std::make_unique<Subscriber>();
        if (s % 2 == 1) subscriber->prefix = writer_prefix(s % shape_.writers);
        const auto join_after = std::chrono::duration_cast<std::chrono::milliseconds>(
            shape_.subscribers_join_within * s / shape_.subscribers);
        subscriber->thread = std::thread(
            [this, raw = subscriber.get(), join_after] { subscribe(*raw, join_after); });
        subscribers_.push_back(std::move(subscriber));
    }
}

void Workload::stop_load() {
    {
        std::lock_guard lock(stop_mutex_);
        stop_ = true;
    }
    stopped_.notify_all();
    for (auto& thread : load_threads_) {
        if (thread.joinable()) thread.join();
    }
}

bool Workload::wait_unless_stopped(std::chrono::milliseconds delay) {
    std::unique_lock lock(stop_mutex_);
    return !stopped_.wait_for(lock, delay, [this] { return stop_.load(); });
}

void Workload::write(int writer) {
    auto stub = v1::EventStore::NewStub(connect_());
    std::mt19937_64 random(writer);
    std::vector<uint64_t> versions(shape_.streams_per_writer, 0);
    for (int append = 1; !stop_; ++append) {
        const int stream = static_cast<int>(random() % versions.size());
        v1::AppendRequest request;
        request.set_stream_id(writer_prefix(writer) + "s" + std::to_string(stream));
        if (versions[stream] == 0) {
            request.mutable_expected_version()->mutable_no_stream();
        } else {
            request.mutable_expected_version()->set_exact(versions[stream]);
        }
        const int count = 1 + static_cast<int>(random() % 5);
        std::vector<Acknowledged> batch;
        for (int i = 0; i < count; ++i) {
            auto* event = request.add_events();
            auto* meta = event->mutable_metadata();
            meta->set_event_id(random_uuid(random));
            meta->set_type_name("SoakHappened");
            event->set_payload(std::string(16 + random() % 240, static_cast<char>('a' + i)));
            batch.push_back({meta->event_id(), request.stream_id(), 0, 0,
                             meta->event_id().size() + meta->type_name().size() +
                                 event->payload().size()});
        }
        v1::AppendResponse response;
        grpc::Status status = stub->Append(with_deadline().get(), request, &response);
        if (!status.ok()) {
            ledger_.error(failed("append", status));
            return;  // this writer's versions are unknown from here on
        }
        ledger_.count_call();
        if (response.last_global_position() - response.first_global_position() + 1 !=
                static_cast<uint64_t>(count) ||
            response.current_version() != versions[stream] + count) {
            ledger_.error("append of " + std::to_string(count) + " to " + request.stream_id() +
                          " at version " + std::to_string(versions[stream]) + " answered version " +
                          std::to_string(response.current_version()) + ", positions " +
                          std::to_string(response.first_global_position()) + ".." +
                          std::to_string(response.last_global_position()));
        }
        for (int i = 0; i < count; ++i) {
            batch[i].stream_version = versions[stream] + 1 + i;
            batch[i].global_position = response.first_global_position() + i;
        }
        versions[stream] = response.current_version();
        ledger_.acknowledge(std::move(batch));

        if (append % kRetryEvery == 0) {
            v1::AppendResponse retried;
            status = stub->Append(with_deadline().get(), request, &retried);
            if (!status.ok()) {
                ledger_.error(failed("idempotent retry", status));
            } else if (retried.SerializeAsString() != response.SerializeAsString()) {
                ledger_.error("a retry of " + request.stream_id() + " answered " +
                              retried.ShortDebugString() + " instead of " +
                              response.ShortDebugString());
            }
        }
    }
}

void Workload::read_streams(int reader) {
    auto stub = v1::EventStore::NewStub(connect_());
    std::mt19937_64 random(1000 + reader);
    while (!stop_) {
        v1::ReadStreamRequest request;
        request.set_stream_id(writer_prefix(random() % shape_.writers) + "s" +
                              std::to_string(random() % shape_.streams_per_writer));
        request.set_forward(true);
        request.set_max_count(kStreamPage);
        uint64_t expected = 1;
        for (bool end = false; !end && !stop_;) {
            request.set_from_version(expected);
            v1::ReadStreamResponse page;
            const grpc::Status status = stub->ReadStream(with_deadline().get(), request, &page);
            if (status.error_code() == grpc::StatusCode::NOT_FOUND && expected == 1) break;
            if (!status.ok()) return ledger_.error(failed("read stream", status));
            ledger_.count_call();
            for (const auto& event : page.events()) {
                if (event.stream_version() != expected++ || event.stream_id() != request.stream_id()) {
                    return ledger_.error("stream " + request.stream_id() + " gave " +
                                         event.stream_id() + " version " +
                                         std::to_string(event.stream_version()) + " where " +
                                         std::to_string(expected - 1) + " was due");
                }
            }
            end = page.end_of_stream();
        }
    }
}

void Workload::read_log(int reader) {
    auto stub = v1::EventStore::NewStub(connect_());
    std::mt19937_64 random(2000 + reader);
    while (!stop_) {
        v1::ReadAllRequest request;
        uint64_t last = 0;
        for (bool head = false; !head && !stop_;) {
            request.set_after_global_position(last);
            request.set_max_count(1 + random() % kMaxLogPage);
            v1::ReadAllResponse page;
            const grpc::Status status = stub->ReadAll(with_deadline().get(), request, &page);
            if (!status.ok()) return ledger_.error(failed("read all", status));
            ledger_.count_call();
            for (const auto& event : page.events()) {
                if (event.global_position() != last + 1) {
                    return ledger_.error("read all gave position " +
                                         std::to_string(event.global_position()) + " after " +
                                         std::to_string(last));
                }
                last = event.global_position();
            }
            head = page.reached_head();
            last = std::max(last, page.last_scanned_position());
        }
    }
}

void Workload::subscribe(Subscriber& subscriber, std::chrono::milliseconds join_after) {
    if (!wait_unless_stopped(join_after)) return;
    auto stub = v1::EventStore::NewStub(connect_());
    v1::SubscribeRequest request;
    request.set_stream_prefix(subscriber.prefix);
    auto reader = stub->Subscribe(&subscriber.context, request);
    v1::SubscribeResponse message;
    uint64_t last_event = 0;
    while (reader->Read(&message)) {
        uint64_t position = 0;
        if (message.has_event()) {
            const auto& event = message.event();
            position = event.global_position();
            const bool in_order = subscriber.prefix.empty() ? position == last_event + 1
                                                            : position > last_event;
            if (!in_order || event.stream_id().rfind(subscriber.prefix, 0) != 0) {
                ledger_.error("subscriber '" + subscriber.prefix + "' got " + event.stream_id() +
                              " at position " + std::to_string(position) + " after " +
                              std::to_string(last_event));
            }
            last_event = position;
            std::lock_guard lock(subscriber.mutex);
            subscriber.positions.push_back(position);
        } else if (message.has_checkpoint()) {
            position = message.checkpoint().global_position();
        } else {
            position = message.caught_up().global_position();
        }
        subscriber.reported = std::max(subscriber.reported.load(), position);
    }
    const grpc::Status status = reader->Finish();
    if (status.error_code() != grpc::StatusCode::CANCELLED) {
        ledger_.error(failed("subscription ended", status));
    }
}

bool Workload::drain_subscribers(uint64_t head, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool all = true;
    for (auto& subscriber : subscribers_) {
        while (subscriber->reported < head && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(20ms);
        }
        all = all && subscriber->reported >= head;
        subscriber->context.TryCancel();
        if (subscriber->thread.joinable()) subscriber->thread.join();
    }
    return all;
}

std::vector<Delivery> Workload::deliveries() const {
    std::vector<Delivery> result;
    for (const auto& subscriber : subscribers_) {
        std::lock_guard lock(subscriber->mutex);
        result.push_back({subscriber->prefix, subscriber->positions});
    }
    return result;
}

}  // namespace eventstore::test::soak
