// plugin_status.hpp: a plugin's es_status and message as a Status. A number the ABI does not
// define is a bug in the plugin, reported as INTERNAL.
#ifndef EVENTSTORE_LOADER_PLUGIN_STATUS_HPP
#define EVENTSTORE_LOADER_PLUGIN_STATUS_HPP

#include "eventstore/plugin.h"
#include "eventstore/status.hpp"

namespace eventstore::loader {

Status from_plugin(es_status status, const es_error& err);

}  // namespace eventstore::loader

#endif
