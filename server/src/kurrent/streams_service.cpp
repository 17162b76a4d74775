#include "kurrent/streams_service.hpp"

namespace eventstore::server::kurrent {

StreamsService::StreamsService(EventStoreService& core, loader::Store& store, const Config& config)
    : core_(core), store_(store), config_(config) {}

}  // namespace eventstore::server::kurrent
