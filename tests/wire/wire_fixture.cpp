#include "wire_fixture.hpp"

#include <algorithm>

namespace eventstore::test {

void WireTest::SetUp() {
    server_ = std::make_unique<ServedEventstored>(
        MEMORY_PLUGIN_PATH, "limits: {max_append_bytes: " + std::to_string(kMaxAppendBytes) +
                                ", max_append_events: " + std::to_string(kMaxAppendEvents) +
                                "}\nshutdown_grace_ms: 60000");
    stub_ = v1::EventStore::NewStub(server_->channel());
}

std::unique_ptr<grpc::ClientContext> WireTest::context(int seconds) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    return context;
}

void WireTest::append(const std::string& stream, int count, size_t payload_bytes) {
    const int per_request = std::max<int>(
        1, std::min<int>(kMaxAppendEvents, kMaxAppendBytes / (payload_bytes + 64)));
    for (int done = 0; done < count;) {
        v1::AppendRequest request;
        request.set_stream_id(stream);
        for (int i = 0; i < per_request && done < count; ++i, ++done) {
            auto* event = request.add_events();
            event->mutable_metadata()->set_type_name("Happened");
            event->set_payload(std::string(payload_bytes, 'x'));
        }
        v1::AppendResponse response;
        const grpc::Status status = stub_->Append(context().get(), request, &response);
        ASSERT_TRUE(status.ok()) << status.error_message();
    }
}

grpc::Status WireTest::append_one(const std::string& stream, size_t payload_bytes) {
    v1::AppendRequest request;
    request.set_stream_id(stream);
    auto* event = request.add_events();
    event->mutable_metadata()->set_type_name("Happened");
    event->set_payload(std::string(payload_bytes, 'x'));
    v1::AppendResponse response;
    return stub_->Append(context().get(), request, &response);
}

size_t WireTest::stored_events() {
    size_t count = 0;
    v1::ReadAllRequest request;
    for (;;) {
        v1::ReadAllResponse response;
        const grpc::Status status = stub_->ReadAll(context().get(), request, &response);
        EXPECT_TRUE(status.ok()) << status.error_message();
        count += response.events_size();
        if (!status.ok() || response.reached_head()) return count;
        request.set_after_global_position(response.last_scanned_position());
    }
}

void WireTest::expect_serving() {
    EXPECT_TRUE(server_->healthy());
    const grpc::Status status = append_one("still-serving");
    EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace eventstore::test
