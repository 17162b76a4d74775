// subject.hpp: what the suite certifies, set once by main before any check runs and read-only
// afterwards: a loaded plugin (the checks open stores of it through the loader) or a running
// server (the checks call its gRPC API), and the knobs of the concurrency checks.
#ifndef EVENTSTORE_CONFORMANCE_SUBJECT_HPP
#define EVENTSTORE_CONFORMANCE_SUBJECT_HPP

#include <chrono>
#include <memory>
#include <string>

#include "abi_backend.hpp"
#include "backend.hpp"
#include "eventstore/loader/plugin.hpp"
#include "eventstore/loader/store.hpp"

namespace grpc {
class Channel;
}

namespace eventstore::conformance {

struct Subject {
    std::string name;     // the plugin's name, or HOST:PORT
    std::string version;  // the plugin's version, or "over gRPC"

    // Plugin mode: every check opens a fresh store of it with these options.
    std::shared_ptr<loader::Plugin> plugin;
    loader::OpenOptions options;
    // Target mode: every check gets a stub on this channel.
    std::shared_ptr<grpc::Channel> channel;

    int writers = 16;                          // threads of the concurrency checks
    std::chrono::milliseconds duration{2000};  // how long the visibility workload runs

    bool abi() const { return plugin != nullptr; }
};

void set_subject(Subject subject);
const Subject& subject();

// A fresh backend of the subject: a new store (plugin mode) or a new stub (target mode).
Result<std::unique_ptr<Backend>> open_backend();
// A fresh store of the plugin; plugin mode only.
Result<std::unique_ptr<AbiBackend>> open_abi_backend();

}  // namespace eventstore::conformance

#endif
