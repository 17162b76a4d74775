// fuzz_store.hpp: a fresh memory store for each fuzz input, opened through the loader from the
// memory plugin's .so (the path the server takes), with limits small enough that inputs reach
// every one of them, and a byte cap on the store. EVENTSTORE_FUZZ_PLUGIN names another plugin
// (the tests use a broken one to show that the targets' checks can fail).
#ifndef EVENTSTORE_TESTS_FUZZ_STORE_HPP
#define EVENTSTORE_TESTS_FUZZ_STORE_HPP

#include <memory>

#include "eventstore/loader/store.hpp"

namespace eventstore::fuzz {

es_limits fuzz_limits();

// Aborts if the plugin does not load or the store does not open.
std::unique_ptr<loader::Store> open_fuzz_store(std::shared_ptr<loader::StoreHooks> hooks);

}  // namespace eventstore::fuzz

#endif
