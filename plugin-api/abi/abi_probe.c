/*
 * abi_probe.c: a tiny shared library whose only purpose is to carry every type of
 * eventstore/plugin.h into DWARF, so that abidw can record the ABI and abidiff can compare it with
 * the committed baseline (eventstore-plugin-abi.xml; tests/abi runs the comparison).
 *
 * It exports two functions:
 * - eventstore_abi_probe takes a pointer to every ABI struct, handle and enum, and the entry type,
 *   so that every type reaches DWARF;
 * - eventstore_abi_v<major>_<minor> carries the ABI version in its name, so that a version bump
 *   without a new baseline, or a new baseline without a version bump, shows up as a removed and
 *   an added function (update-baseline.sh reads the version from it).
 */
#include "eventstore/plugin.h"

#define ES_VERSION_MARKER_(major, minor) eventstore_abi_v##major##_##minor
#define ES_VERSION_MARKER(major, minor) ES_VERSION_MARKER_(major, minor)
#define ES_ABI_VERSION_MARKER ES_VERSION_MARKER(ES_PLUGIN_ABI_MAJOR, ES_PLUGIN_ABI_MINOR)
#define ES_PROBE eventstore_abi_probe

ES_PLUGIN_EXPORT void ES_ABI_VERSION_MARKER(void);
ES_PLUGIN_EXPORT void ES_ABI_VERSION_MARKER(void) {}

ES_PLUGIN_EXPORT void ES_PROBE(es_error* error, es_bytes* bytes, es_key_value* key_value,
                               es_host_callbacks* host_callbacks, es_limits* limits,
                               es_open_params* open_params, es_event_data* event_data,
                               es_append_request* append_request, es_append_result* append_result,
                               es_read_stream_request* read_stream_request,
                               es_read_all_request* read_all_request,
                               es_recorded_event* recorded_event, es_page_info* page_info,
                               es_plugin_api* plugin_api, es_host_offer* host_offer,
                               es_plugin_entry_fn entry, es_store* store, es_iterator* iterator,
                               es_status* status, es_log_level* log_level,
                               es_expected_kind* expected_kind);

ES_PLUGIN_EXPORT void ES_PROBE(es_error* error, es_bytes* bytes, es_key_value* key_value,
                               es_host_callbacks* host_callbacks, es_limits* limits,
                               es_open_params* open_params, es_event_data* event_data,
                               es_append_request* append_request, es_append_result* append_result,
                               es_read_stream_request* read_stream_request,
                               es_read_all_request* read_all_request,
                               es_recorded_event* recorded_event, es_page_info* page_info,
                               es_plugin_api* plugin_api, es_host_offer* host_offer,
                               es_plugin_entry_fn entry, es_store* store, es_iterator* iterator,
                               es_status* status, es_log_level* log_level,
                               es_expected_kind* expected_kind) {
    (void)error;
    (void)bytes;
    (void)key_value;
    (void)host_callbacks;
    (void)limits;
    (void)open_params;
    (void)event_data;
    (void)append_request;
    (void)append_result;
    (void)read_stream_request;
    (void)read_all_request;
    (void)recorded_event;
    (void)page_info;
    (void)plugin_api;
    (void)host_offer;
    (void)entry;
    (void)store;
    (void)iterator;
    (void)status;
    (void)log_level;
    (void)expected_kind;
}
