// memory-with-history: the memory store, which is conformant, opened with events already in it:
// kHistory events of one stream outside every check's namespace, appended at open. This is what a
// shared database that already holds events looks like to the suite (docs/conformance.md says
// one can be certified). Its read_all caps a scan at 10,000 positions when max_scan is 0, as
// plugin.h allows ("0 = the plugin's choice"), so a check that expects its own events in the
// first page read from position 0 fails here although the plugin breaks no rule: this plugin
// must be CONFORMANT.
#include <cstdio>
#include <string>
#include <vector>

#include "broken_store.hpp"

namespace eventstore::broken {
namespace {

constexpr size_t kHistory = 25000;         // more than two capped scans
constexpr size_t kPerAppend = 5000;        // under limits.max_append_events

// The canonical UUID of history event `n`.
std::string history_id(size_t n) {
    char id[37];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012zu", n);
    return id;
}

Result<std::shared_ptr<plugin::Store>> open_with_history(const plugin::OpenContext& context) {
    auto memory = open_memory(context, context.host);
    if (!memory.ok()) return memory.status();
    const std::string stream_id = "history-before-the-checks";
    const std::string type = "Happened";
    for (size_t first = 0; first < kHistory; first += kPerAppend) {
        std::vector<std::string> ids;
        abi::AppendBuilder append;
        append.request().stream_id = abi::bytes(stream_id);
        append.reserve(kPerAppend);
        ids.reserve(kPerAppend);
        for (size_t n = first; n < first + kPerAppend; ++n) {
            ids.push_back(history_id(n));
            es_event_data& event = append.add_event();
            event.event_id = abi::bytes(ids.back());
            event.type_name = abi::bytes(type);
        }
        es_append_result result = abi::make_struct<es_append_result>();
        if (Status s = memory.value()->append(append.request(), result); !s.ok()) return s;
    }
    return memory;
}

}  // namespace
}  // namespace eventstore::broken

EVENTSTORE_PLUGIN("memory-with-history", "0.0.0", ES_CAP_COMMIT_NOTIFICATIONS,
                  eventstore::broken::open_with_history)
