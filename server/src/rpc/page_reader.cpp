#include "rpc/page_reader.hpp"

namespace eventstore::server {

Result<DrainedPage> drain(loader::Iterator& iterator,
                          const std::function<bool(const es_recorded_event&)>& take) {
    DrainedPage drained;
    es_recorded_event event{};
    for (;;) {
        auto has = iterator.next(event);
        if (!has.ok()) return has.status();
        if (!has.value()) break;
        drained.last_version = event.stream_version;
        drained.last_position = event.global_position;
        if (!take(event)) {
            drained.stopped_early = true;
            return drained;
        }
    }
    auto page = iterator.page();
    if (!page.ok()) return page.status();
    drained.page = page.value();
    return drained;
}

}  // namespace eventstore::server
