// broken-owners: answers ABI 1.3 but ignores owner_tenant; every append and read_stream behaves
// as if no owner were named. Breaks plugin.h "Stream owners".
#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

class IgnoresOwners final : public DecoratedStore {
public:
    using DecoratedStore::DecoratedStore;

    Status append(const es_append_request& request, es_append_result& result) override {
        es_append_request anyone = request;
        anyone.owner_tenant = es_bytes{};
        return inner().append(anyone, result);
    }
    Result<std::unique_ptr<plugin::Iterator>> read_stream(
        const es_read_stream_request& request) override {
        es_read_stream_request anyone = request;
        anyone.owner_tenant = es_bytes{};
        return inner().read_stream(anyone);
    }
};

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("broken-owners", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_decorated<eventstore::broken::IgnoresOwners>)
