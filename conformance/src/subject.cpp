#include "subject.hpp"

#include "grpc_backend.hpp"

namespace eventstore::conformance {

namespace {

Subject& the_subject() {
    static Subject subject;
    return subject;
}

}  // namespace

void set_subject(Subject subject) { the_subject() = std::move(subject); }

const Subject& subject() { return the_subject(); }

Result<std::unique_ptr<Backend>> open_backend() {
    if (!subject().abi()) return std::unique_ptr<Backend>(new GrpcBackend(subject().channel));
    auto backend = open_abi_backend();
    if (!backend.ok()) return backend.status();
    return std::unique_ptr<Backend>(std::move(backend.value()));
}

Result<std::unique_ptr<AbiBackend>> open_abi_backend() {
    if (!subject().abi()) {
        return Status(Code::failed_precondition, "this check needs a plugin (--plugin)");
    }
    return AbiBackend::open(subject().plugin, subject().options);
}

}  // namespace eventstore::conformance
