#include "plugin_status.hpp"

#include <string>

#include "eventstore/abi_struct.hpp"

namespace eventstore::loader {

Status from_plugin(es_status status, const es_error& err) {
    switch (status) {
    case ES_OK: return {};
    case ES_CANCELLED:
    case ES_INVALID_ARGUMENT:
    case ES_DEADLINE_EXCEEDED:
    case ES_NOT_FOUND:
    case ES_ALREADY_EXISTS:
    case ES_PERMISSION_DENIED:
    case ES_RESOURCE_EXHAUSTED:
    case ES_FAILED_PRECONDITION:
    case ES_UNIMPLEMENTED:
    case ES_INTERNAL:
    case ES_UNAVAILABLE: return Status(static_cast<Code>(status), abi::read_error(err));
    default:
        return Status(Code::internal, "the backend returned status " + std::to_string(status) +
                                          ", which the plugin ABI does not define: " +
                                          abi::read_error(err));
    }
}

}  // namespace eventstore::loader
