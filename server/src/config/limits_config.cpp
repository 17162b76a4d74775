#include "config/limits_config.hpp"

#include <algorithm>

namespace eventstore::server {

es_limits parse_limits(const Section& root) {
    const Section section(root.child("limits"), "limits",
                          {"max_append_bytes", "max_append_events", "max_stream_id_bytes",
                           "default_page_size", "max_page_size"},
                          root.source());
    es_limits limits = default_limits();
    limits.max_append_bytes =
        section.number("max_append_bytes", limits.max_append_bytes, 1, 1024ull * 1024 * 1024);
    limits.max_append_events = static_cast<uint32_t>(
        section.number("max_append_events", limits.max_append_events, 1, 1000000));
    limits.max_stream_id_bytes = static_cast<uint32_t>(
        section.number("max_stream_id_bytes", limits.max_stream_id_bytes, 1, 65536));
    limits.max_page_size =
        static_cast<uint32_t>(section.number("max_page_size", limits.max_page_size, 1, 100000));
    limits.default_page_size = static_cast<uint32_t>(section.number(
        "default_page_size", std::min(limits.default_page_size, limits.max_page_size), 1,
        limits.max_page_size));
    return limits;
}

}  // namespace eventstore::server
