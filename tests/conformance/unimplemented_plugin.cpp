// unimplemented: a backend that opens but implements nothing, like a stub under construction:
// every append and read answers UNIMPLEMENTED. The suite must fail every check it runs, and its
// output must name UNIMPLEMENTED.
#include "eventstore/plugin.hpp"

namespace {

using eventstore::Code;
using eventstore::Result;
using eventstore::Status;
namespace plugin = eventstore::plugin;

Status unimplemented(const char* operation) {
    return Status(Code::unimplemented, std::string(operation) + " is not implemented yet");
}

class UnimplementedStore final : public plugin::Store {
public:
    Status append(const es_append_request&, es_append_result&) override {
        return unimplemented("append");
    }
    Result<std::unique_ptr<plugin::Iterator>> read_stream(const es_read_stream_request&) override {
        return unimplemented("read_stream");
    }
    Result<std::unique_ptr<plugin::Iterator>> read_all(const es_read_all_request&) override {
        return unimplemented("read_all");
    }
};

Result<std::shared_ptr<plugin::Store>> open_unimplemented(const plugin::OpenContext&) {
    return std::shared_ptr<plugin::Store>(std::make_shared<UnimplementedStore>());
}

}  // namespace

EVENTSTORE_PLUGIN("unimplemented", "0.0.0", 0, open_unimplemented)
