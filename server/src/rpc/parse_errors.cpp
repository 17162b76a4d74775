#include "rpc/parse_errors.hpp"

#include <mutex>
#include <string>
#include <string_view>

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

namespace eventstore::server {
namespace {

// The field protobuf last refused on this thread for invalid UTF-8, e.g.
// "eventstore.v1.EventMetadata.type_name"; empty when none is pending.
thread_local std::string refused_utf8_field;

// protobuf's line is "String field 'NAME' contains invalid UTF-8 data when parsing a protocol
// buffer. ..."; the name is what it quotes.
std::string utf8_field_of(std::string_view line) {
    if (line.find("invalid UTF-8 data when parsing") == std::string_view::npos) return {};
    const size_t open = line.find('\'');
    const size_t close = open == std::string_view::npos ? open : line.find('\'', open + 1);
    if (close == std::string_view::npos) return {};
    return std::string(line.substr(open + 1, close - open - 1));
}

void on_protobuf_log(google::protobuf::LogLevel level, const char* file, int line,
                     const std::string& message) {
    if (std::string field = utf8_field_of(message); !field.empty()) {
        // A client's bad request, answered as such: not worth more than a debug line.
        spdlog::debug("protobuf refused a request: {}", message);
        refused_utf8_field = std::move(field);
        return;
    }
    const auto spd_level = level >= google::protobuf::LOGLEVEL_ERROR     ? spdlog::level::err
                           : level == google::protobuf::LOGLEVEL_WARNING ? spdlog::level::warn
                                                                         : spdlog::level::info;
    spdlog::log(spd_level, "protobuf ({}:{}): {}", file, line, message);
}

grpc::Status unparsable(const std::string& method, const std::string& utf8_field) {
    if (!utf8_field.empty()) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            utf8_field + " is not valid UTF-8: every string field of " + method +
                                " must be UTF-8 (arbitrary bytes belong in the payload)");
    }
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "the request of " + method +
                            " is not a valid protobuf message of its request type; check that "
                            "the client uses this server's proto (proto/eventstore/v1)");
}

// What gRPC answers a request it could not parse: INTERNAL on the synchronous API, UNIMPLEMENTED
// with no message on the callback API (its handler is then never called).
bool is_parse_failure(const grpc::Status& status) {
    return status.error_code() == grpc::StatusCode::INTERNAL ||
           (status.error_code() == grpc::StatusCode::UNIMPLEMENTED && status.error_message().empty());
}

// One per call. Acts only for methods that receive exactly one message (unary and
// server-streaming), where a missing message can only mean one that failed to parse.
class ParseErrorInterceptor : public grpc::experimental::Interceptor {
public:
    explicit ParseErrorInterceptor(grpc::experimental::ServerRpcInfo* info) : info_(info) {
        std::lock_guard lock(mutex_);  // publishes info_ to the hooks (see mutex_)
    }

    void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
        inspect(methods);
        methods->Proceed();
    }

private:
    void inspect(grpc::experimental::InterceptorBatchMethods* methods) {
        using Hook = grpc::experimental::InterceptionHookPoints;
        std::lock_guard lock(mutex_);
        if (methods->QueryInterceptionHookPoint(Hook::POST_RECV_MESSAGE)) {
            failed_ = methods->GetRecvMessage() == nullptr;
            if (failed_) field_ = std::move(refused_utf8_field);
            refused_utf8_field.clear();
        }
        if (failed_ && methods->QueryInterceptionHookPoint(Hook::PRE_SEND_STATUS) &&
            is_parse_failure(methods->GetSendStatus())) {
            methods->ModifySendStatus(unparsable(info_->method(), field_));
        }
    }

    // The receive hook and the send-status hook may run on different gRPC threads (the callback
    // API), ordered by gRPC core, which ThreadSanitizer cannot see: the fields are also guarded
    // by this lock (one uncontended lock per hook), so that order is visible to it.
    std::mutex mutex_;
    grpc::experimental::ServerRpcInfo* info_;
    bool failed_ = false;
    std::string field_;
};

class ParseErrorInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
public:
    grpc::experimental::Interceptor* CreateServerInterceptor(
        grpc::experimental::ServerRpcInfo* info) override {
        using Type = grpc::experimental::ServerRpcInfo::Type;
        if (info->type() != Type::UNARY && info->type() != Type::SERVER_STREAMING) return nullptr;
        return new ParseErrorInterceptor(info);
    }
};

}  // namespace

grpc::Status unparsable_request(const std::string& method) {
    const std::string field = std::move(refused_utf8_field);
    refused_utf8_field.clear();
    return unparsable(method, field);
}

void capture_protobuf_log() { google::protobuf::SetLogHandler(&on_protobuf_log); }

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> parse_error_interceptors() {
    return std::make_unique<ParseErrorInterceptorFactory>();
}

}  // namespace eventstore::server
