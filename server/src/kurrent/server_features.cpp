#include "kurrent/server_features.hpp"

#include <absl/strings/ascii.h>
#include <google/protobuf/descriptor.h>

#include "streams.grpc.pb.h"

namespace eventstore::server::kurrent {

namespace {

namespace features = event_store::client::server_features;

// What KurrentDB's ServerFeatures.cs lists for a method: Read takes positions and returns events,
// BatchAppend takes its deadline as a Duration.
void describe(const google::protobuf::MethodDescriptor& method, features::SupportedMethod& out) {
    out.set_method_name(absl::AsciiStrToLower(method.name()));
    out.set_service_name(absl::AsciiStrToLower(method.service()->full_name()));
    if (method.name() == "Read") {
        out.add_features("position");
        out.add_features("events");
    } else if (method.name() == "BatchAppend") {
        out.add_features("deadline_duration");
    }
}

}  // namespace

ServerFeaturesService::ServerFeaturesService() {
    supported_.set_event_store_server_version(kServedKurrentVersion);
    // Every method of both services is served (streams_service.hpp, this file).
    const auto* pool = google::protobuf::DescriptorPool::generated_pool();
    for (const char* name : {event_store::client::streams::Streams::service_full_name(),
                             features::ServerFeatures::service_full_name()}) {
        const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
        for (int i = 0; i < service->method_count(); ++i) {
            describe(*service->method(i), *supported_.add_methods());
        }
    }
}

grpc::ServerUnaryReactor* ServerFeaturesService::GetSupportedMethods(
    grpc::CallbackServerContext* context, const event_store::client::Empty*,
    features::SupportedMethods* response) {
    *response = supported_;
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
}

}  // namespace eventstore::server::kurrent
