// server_features.hpp: KurrentDB's event_store.client.server_features.ServerFeatures
// (proto/kurrent/serverfeatures.proto), which the clients ask, without credentials, which methods
// and features a server has. The answer lists the methods eventstored serves, named and featured
// as KurrentDB names them (lower case), so that a client picks what KurrentDB would have it pick:
// Node's appendToStream uses BatchAppend once it is listed. docs/kurrent-protocol.md.
#ifndef EVENTSTORE_SERVER_KURRENT_SERVER_FEATURES_HPP
#define EVENTSTORE_SERVER_KURRENT_SERVER_FEATURES_HPP

#include "serverfeatures.grpc.pb.h"

namespace eventstore::server::kurrent {

// The KurrentDB release whose client protocol (the v1 Streams service) is served, as the clients
// read it: major.minor.patch.
inline constexpr const char* kServedKurrentVersion = "25.1.0";

class ServerFeaturesService final
    : public event_store::client::server_features::ServerFeatures::CallbackService {
public:
    ServerFeaturesService();

    // Anonymous: the clients call it before any credentials are sent, and it tells nothing a
    // client could not learn by calling the methods.
    grpc::ServerUnaryReactor* GetSupportedMethods(
        grpc::CallbackServerContext* context, const event_store::client::Empty* request,
        event_store::client::server_features::SupportedMethods* response) override;

private:
    event_store::client::server_features::SupportedMethods supported_;
};

}  // namespace eventstore::server::kurrent

#endif
