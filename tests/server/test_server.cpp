#include "test_server.hpp"

#include "google/rpc/status.pb.h"
#include "rpc/uuid_v7.hpp"

namespace eventstore::test {

std::string test_config(const std::string& extra, const std::string& plugin) {
    return "listen: 127.0.0.1:0\n"
           "backend:\n"
           "  plugin: " + plugin + "\n"
           "logging:\n"
           "  level: warn\n"
           "shutdown_grace_ms: 2000\n" +
           extra;
}

void ServerTest::start(const std::string& extra, const std::string& plugin) {
    start_with_config(test_config(extra, plugin));
}

void ServerTest::start_with_config(const std::string& yaml) {
    auto config = server::parse_config(yaml, ".", "test config");
    ASSERT_TRUE(config.ok()) << config.status().message();
    start_with(config.value());
}

void ServerTest::start_with(server::Config config) {
    stop();
    auto created = server::Server::create(std::move(config));
    ASSERT_TRUE(created.ok()) << created.status().message();
    server_ = std::move(created.value());
    const Status started = server_->start();
    ASSERT_TRUE(started.ok()) << started.message();
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    channel_ = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(server_->port()),
                                         grpc::InsecureChannelCredentials(), args);
    stub_ = v1::EventStore::NewStub(channel_);
}

void ServerTest::stop() {
    stub_.reset();
    channel_.reset();
    server_.reset();
}

std::unique_ptr<grpc::ClientContext> context_with_deadline(int seconds) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    return context;
}

grpc::Status ServerTest::append(const std::string& stream, const std::vector<v1::EventData>& events,
                                const v1::ExpectedVersion& expected,
                                v1::AppendResponse* response) {
    v1::AppendRequest request;
    request.set_stream_id(stream);
    *request.mutable_expected_version() = expected;
    for (const auto& event : events) *request.add_events() = event;
    v1::AppendResponse ignored;
    return stub_->Append(context_with_deadline().get(), request,
                         response != nullptr ? response : &ignored);
}

v1::AppendResponse ServerTest::append_n(const std::string& stream, int count) {
    std::vector<v1::EventData> events;
    for (int i = 0; i < count; ++i) events.push_back(make_event("Happened", std::to_string(i)));
    v1::AppendResponse response;
    const grpc::Status status = append(stream, events, expect_any(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
}

grpc::Status ServerTest::read_stream(const std::string& stream, uint64_t from, uint32_t max_count,
                                     bool forward, v1::ReadStreamResponse* response) {
    return test::read_stream(*stub_, stream, from, max_count, forward, response);
}

grpc::Status ServerTest::read_all(uint64_t after, uint32_t max_count, const std::string& prefix,
                                  v1::ReadAllResponse* response) {
    v1::ReadAllRequest request;
    request.set_after_global_position(after);
    request.set_max_count(max_count);
    request.set_stream_prefix(prefix);
    return stub_->ReadAll(context_with_deadline().get(), request, response);
}

std::vector<v1::RecordedEvent> ServerTest::whole_stream(const std::string& stream) {
    return test::whole_stream(*stub_, stream);
}

grpc::Status read_stream(v1::EventStore::Stub& stub, const std::string& stream, uint64_t from,
                         uint32_t max_count, bool forward, v1::ReadStreamResponse* response) {
    v1::ReadStreamRequest request;
    request.set_stream_id(stream);
    request.set_from_version(from);
    request.set_max_count(max_count);
    request.set_forward(forward);
    return stub.ReadStream(context_with_deadline().get(), request, response);
}

std::vector<v1::RecordedEvent> whole_stream(v1::EventStore::Stub& stub, const std::string& stream) {
    std::vector<v1::RecordedEvent> events;
    uint64_t from = 0;
    for (;;) {
        v1::ReadStreamResponse page;
        const grpc::Status status = read_stream(stub, stream, from, 0, true, &page);
        if (!status.ok()) break;
        events.insert(events.end(), page.events().begin(), page.events().end());
        if (page.end_of_stream()) break;
        from = page.next_from_version();
    }
    return events;
}

v1::EventData make_event(const std::string& type, const std::string& payload) {
    v1::EventData event;
    event.mutable_metadata()->set_event_id(server::new_uuid_v7());
    event.mutable_metadata()->set_type_name(type);
    event.mutable_metadata()->set_content_type("application/json");
    event.set_payload(payload);
    return event;
}

v1::ExpectedVersion expect_any() {
    v1::ExpectedVersion expected;
    expected.mutable_any();
    return expected;
}

v1::ExpectedVersion expect_no_stream() {
    v1::ExpectedVersion expected;
    expected.mutable_no_stream();
    return expected;
}

v1::ExpectedVersion expect_stream_exists() {
    v1::ExpectedVersion expected;
    expected.mutable_stream_exists();
    return expected;
}

v1::ExpectedVersion expect_exact(uint64_t version) {
    v1::ExpectedVersion expected;
    expected.set_exact(version);
    return expected;
}

v1::WrongExpectedVersion wrong_expected_version(const grpc::Status& status) {
    v1::WrongExpectedVersion detail;
    google::rpc::Status rich;
    EXPECT_TRUE(rich.ParseFromString(status.error_details()))
        << "no google.rpc.Status in the error details";
    EXPECT_EQ(rich.code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(rich.details_size(), 1);
    if (rich.details_size() == 1) {
        EXPECT_TRUE(rich.details(0).UnpackTo(&detail)) << rich.details(0).type_url();
    }
    return detail;
}

}  // namespace eventstore::test
