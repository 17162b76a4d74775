/*
 * abi_layout_check.c: the layout of every struct of eventstore/plugin.h, frozen. The build always
 * compiles this file (strict C11), so a change that moves a field, resizes a struct or renumbers a
 * status fails the build here, before anything can ship with it.
 *
 * The numbers are those of x86-64 Linux (LP64, the System V ABI), the platform we build and ship;
 * other platforms are checked by abidiff against their own baseline, not by this file.
 *
 * A new minor may only APPEND fields: add their offsets below and raise the struct's size, in the
 * same change that raises ES_PLUGIN_ABI_MINOR and updates plugin-api/abi/eventstore-plugin-abi.xml
 * (see update-baseline.sh). Any other change to a number here is a new major.
 */
#include <stddef.h>

#include "eventstore/plugin.h"

#if defined(__x86_64__) && defined(__linux__)

#define ES_ASSERT_SIZE(type, size) \
    _Static_assert(sizeof(type) == (size), "sizeof(" #type ") is part of the ABI")
#define ES_ASSERT_OFFSET(type, field, offset)      \
    _Static_assert(offsetof(type, field) == (offset), \
                   "offsetof(" #type ", " #field ") is part of the ABI")
#define ES_ASSERT_VALUE(name, value) _Static_assert((name) == (value), #name " is part of the ABI")

/* ---------------------------------------------------------------------------------------------
 * Scalars and numbers that cross the boundary
 * ------------------------------------------------------------------------------------------- */
ES_ASSERT_SIZE(es_status, 4);
ES_ASSERT_SIZE(es_log_level, 4);
ES_ASSERT_SIZE(es_expected_kind, 4);

ES_ASSERT_VALUE(ES_OK, 0);
ES_ASSERT_VALUE(ES_CANCELLED, 1);
ES_ASSERT_VALUE(ES_INVALID_ARGUMENT, 3);
ES_ASSERT_VALUE(ES_DEADLINE_EXCEEDED, 4);
ES_ASSERT_VALUE(ES_NOT_FOUND, 5);
ES_ASSERT_VALUE(ES_ALREADY_EXISTS, 6);
ES_ASSERT_VALUE(ES_PERMISSION_DENIED, 7);
ES_ASSERT_VALUE(ES_RESOURCE_EXHAUSTED, 8);
ES_ASSERT_VALUE(ES_FAILED_PRECONDITION, 9);
ES_ASSERT_VALUE(ES_UNIMPLEMENTED, 12);
ES_ASSERT_VALUE(ES_INTERNAL, 13);
ES_ASSERT_VALUE(ES_UNAVAILABLE, 14);

ES_ASSERT_VALUE(ES_LOG_TRACE, 0);
ES_ASSERT_VALUE(ES_LOG_DEBUG, 1);
ES_ASSERT_VALUE(ES_LOG_INFO, 2);
ES_ASSERT_VALUE(ES_LOG_WARN, 3);
ES_ASSERT_VALUE(ES_LOG_ERROR, 4);

ES_ASSERT_VALUE(ES_EXPECT_ANY, 0);
ES_ASSERT_VALUE(ES_EXPECT_NO_STREAM, 1);
ES_ASSERT_VALUE(ES_EXPECT_STREAM_EXISTS, 2);
ES_ASSERT_VALUE(ES_EXPECT_EXACT, 3);

ES_ASSERT_VALUE(ES_CAP_COMMIT_NOTIFICATIONS, 1u << 0);
ES_ASSERT_VALUE(ES_CAP_DURABLE, 1u << 1);

ES_ASSERT_VALUE(ES_ERROR_MESSAGE_CAPACITY, 1024);

/* ---------------------------------------------------------------------------------------------
 * Structs, in the order of plugin.h
 * ------------------------------------------------------------------------------------------- */
/* es_error */
ES_ASSERT_SIZE(es_error, 1028);
ES_ASSERT_OFFSET(es_error, struct_size, 0);
ES_ASSERT_OFFSET(es_error, message, 4);

/* es_bytes */
ES_ASSERT_SIZE(es_bytes, 16);
ES_ASSERT_OFFSET(es_bytes, ptr, 0);
ES_ASSERT_OFFSET(es_bytes, len, 8);

/* es_key_value */
ES_ASSERT_SIZE(es_key_value, 32);
ES_ASSERT_OFFSET(es_key_value, key, 0);
ES_ASSERT_OFFSET(es_key_value, value, 16);

/* es_host_callbacks */
ES_ASSERT_SIZE(es_host_callbacks, 32);
ES_ASSERT_OFFSET(es_host_callbacks, struct_size, 0);
ES_ASSERT_OFFSET(es_host_callbacks, host_context, 8);
ES_ASSERT_OFFSET(es_host_callbacks, log, 16);
ES_ASSERT_OFFSET(es_host_callbacks, notify_committed, 24);

/* es_limits */
ES_ASSERT_SIZE(es_limits, 32);
ES_ASSERT_OFFSET(es_limits, struct_size, 0);
ES_ASSERT_OFFSET(es_limits, max_stream_id_bytes, 4);
ES_ASSERT_OFFSET(es_limits, max_append_events, 8);
ES_ASSERT_OFFSET(es_limits, max_append_bytes, 16);
ES_ASSERT_OFFSET(es_limits, default_page_size, 24);
ES_ASSERT_OFFSET(es_limits, max_page_size, 28);

/* es_open_params */
ES_ASSERT_SIZE(es_open_params, 56);
ES_ASSERT_OFFSET(es_open_params, struct_size, 0);
ES_ASSERT_OFFSET(es_open_params, options_yaml, 8);
ES_ASSERT_OFFSET(es_open_params, options, 24);
ES_ASSERT_OFFSET(es_open_params, option_count, 32);
ES_ASSERT_OFFSET(es_open_params, host, 40);
ES_ASSERT_OFFSET(es_open_params, limits, 48);

/* es_event_data */
ES_ASSERT_SIZE(es_event_data, 136);
ES_ASSERT_OFFSET(es_event_data, struct_size, 0);
ES_ASSERT_OFFSET(es_event_data, event_id, 8);
ES_ASSERT_OFFSET(es_event_data, type_name, 24);
ES_ASSERT_OFFSET(es_event_data, content_type, 40);
ES_ASSERT_OFFSET(es_event_data, tenant_id, 56);
ES_ASSERT_OFFSET(es_event_data, correlation_id, 72);
ES_ASSERT_OFFSET(es_event_data, causation_id, 88);
ES_ASSERT_OFFSET(es_event_data, headers, 104);
ES_ASSERT_OFFSET(es_event_data, header_count, 112);
ES_ASSERT_OFFSET(es_event_data, payload, 120);

/* es_append_request */
ES_ASSERT_SIZE(es_append_request, 72);
ES_ASSERT_OFFSET(es_append_request, struct_size, 0);
ES_ASSERT_OFFSET(es_append_request, expected_kind, 4);
ES_ASSERT_OFFSET(es_append_request, expected_version, 8);
ES_ASSERT_OFFSET(es_append_request, stream_id, 16);
ES_ASSERT_OFFSET(es_append_request, events, 32);
ES_ASSERT_OFFSET(es_append_request, event_count, 40);
ES_ASSERT_OFFSET(es_append_request, timeout_us, 48);
ES_ASSERT_OFFSET(es_append_request, owner_tenant, 56);

/* es_append_result */
ES_ASSERT_SIZE(es_append_result, 48);
ES_ASSERT_OFFSET(es_append_result, struct_size, 0);
ES_ASSERT_OFFSET(es_append_result, current_version, 8);
ES_ASSERT_OFFSET(es_append_result, first_global_position, 16);
ES_ASSERT_OFFSET(es_append_result, last_global_position, 24);
ES_ASSERT_OFFSET(es_append_result, actual_version, 32);
ES_ASSERT_OFFSET(es_append_result, tombstoned, 40);

/* es_stream_change_request */
ES_ASSERT_SIZE(es_stream_change_request, 88);
ES_ASSERT_OFFSET(es_stream_change_request, struct_size, 0);
ES_ASSERT_OFFSET(es_stream_change_request, kind, 4);
ES_ASSERT_OFFSET(es_stream_change_request, stream_id, 8);
ES_ASSERT_OFFSET(es_stream_change_request, expected_kind, 24);
ES_ASSERT_OFFSET(es_stream_change_request, expected_version, 32);
ES_ASSERT_OFFSET(es_stream_change_request, before_version, 40);
ES_ASSERT_OFFSET(es_stream_change_request, max_count, 48);
ES_ASSERT_OFFSET(es_stream_change_request, max_age_us, 56);
ES_ASSERT_OFFSET(es_stream_change_request, timeout_us, 64);
ES_ASSERT_OFFSET(es_stream_change_request, owner_tenant, 72);

/* es_stream_state_request */
ES_ASSERT_SIZE(es_stream_state_request, 48);
ES_ASSERT_OFFSET(es_stream_state_request, struct_size, 0);
ES_ASSERT_OFFSET(es_stream_state_request, stream_id, 8);
ES_ASSERT_OFFSET(es_stream_state_request, timeout_us, 24);
ES_ASSERT_OFFSET(es_stream_state_request, owner_tenant, 32);

/* es_stream_state */
ES_ASSERT_SIZE(es_stream_state, 48);
ES_ASSERT_OFFSET(es_stream_state, struct_size, 0);
ES_ASSERT_OFFSET(es_stream_state, last_version, 8);
ES_ASSERT_OFFSET(es_stream_state, truncate_before, 16);
ES_ASSERT_OFFSET(es_stream_state, tombstoned, 24);
ES_ASSERT_OFFSET(es_stream_state, max_count, 32);
ES_ASSERT_OFFSET(es_stream_state, max_age_us, 40);

/* es_read_stream_request */
ES_ASSERT_SIZE(es_read_stream_request, 64);
ES_ASSERT_OFFSET(es_read_stream_request, struct_size, 0);
ES_ASSERT_OFFSET(es_read_stream_request, forward, 4);
ES_ASSERT_OFFSET(es_read_stream_request, stream_id, 8);
ES_ASSERT_OFFSET(es_read_stream_request, from_version, 24);
ES_ASSERT_OFFSET(es_read_stream_request, max_count, 32);
ES_ASSERT_OFFSET(es_read_stream_request, timeout_us, 40);
ES_ASSERT_OFFSET(es_read_stream_request, owner_tenant, 48);

/* es_read_all_request */
ES_ASSERT_SIZE(es_read_all_request, 56);
ES_ASSERT_OFFSET(es_read_all_request, struct_size, 0);
ES_ASSERT_OFFSET(es_read_all_request, after_position, 8);
ES_ASSERT_OFFSET(es_read_all_request, max_count, 16);
ES_ASSERT_OFFSET(es_read_all_request, stream_prefix, 24);
ES_ASSERT_OFFSET(es_read_all_request, max_scan, 40);
ES_ASSERT_OFFSET(es_read_all_request, timeout_us, 48);

/* es_recorded_event */
ES_ASSERT_SIZE(es_recorded_event, 176);
ES_ASSERT_OFFSET(es_recorded_event, struct_size, 0);
ES_ASSERT_OFFSET(es_recorded_event, stream_id, 8);
ES_ASSERT_OFFSET(es_recorded_event, stream_version, 24);
ES_ASSERT_OFFSET(es_recorded_event, global_position, 32);
ES_ASSERT_OFFSET(es_recorded_event, recorded_at_us, 40);
ES_ASSERT_OFFSET(es_recorded_event, event_id, 48);
ES_ASSERT_OFFSET(es_recorded_event, type_name, 64);
ES_ASSERT_OFFSET(es_recorded_event, content_type, 80);
ES_ASSERT_OFFSET(es_recorded_event, tenant_id, 96);
ES_ASSERT_OFFSET(es_recorded_event, correlation_id, 112);
ES_ASSERT_OFFSET(es_recorded_event, causation_id, 128);
ES_ASSERT_OFFSET(es_recorded_event, headers, 144);
ES_ASSERT_OFFSET(es_recorded_event, header_count, 152);
ES_ASSERT_OFFSET(es_recorded_event, payload, 160);

/* es_page_info */
ES_ASSERT_SIZE(es_page_info, 40);
ES_ASSERT_OFFSET(es_page_info, struct_size, 0);
ES_ASSERT_OFFSET(es_page_info, next_from_version, 8);
ES_ASSERT_OFFSET(es_page_info, end_of_stream, 16);
ES_ASSERT_OFFSET(es_page_info, last_scanned_position, 24);
ES_ASSERT_OFFSET(es_page_info, reached_head, 32);

/* es_plugin_api */
ES_ASSERT_SIZE(es_plugin_api, 136);
ES_ASSERT_OFFSET(es_plugin_api, struct_size, 0);
ES_ASSERT_OFFSET(es_plugin_api, abi_major, 4);
ES_ASSERT_OFFSET(es_plugin_api, abi_minor, 8);
ES_ASSERT_OFFSET(es_plugin_api, name, 16);
ES_ASSERT_OFFSET(es_plugin_api, version, 24);
ES_ASSERT_OFFSET(es_plugin_api, capabilities, 32);
ES_ASSERT_OFFSET(es_plugin_api, store_open, 40);
ES_ASSERT_OFFSET(es_plugin_api, store_close, 48);
ES_ASSERT_OFFSET(es_plugin_api, append, 56);
ES_ASSERT_OFFSET(es_plugin_api, read_stream, 64);
ES_ASSERT_OFFSET(es_plugin_api, read_all, 72);
ES_ASSERT_OFFSET(es_plugin_api, iterator_next, 80);
ES_ASSERT_OFFSET(es_plugin_api, iterator_page, 88);
ES_ASSERT_OFFSET(es_plugin_api, iterator_destroy, 96);
ES_ASSERT_OFFSET(es_plugin_api, store_health, 104);
ES_ASSERT_OFFSET(es_plugin_api, append_async, 112);
ES_ASSERT_OFFSET(es_plugin_api, change_stream, 120);
ES_ASSERT_OFFSET(es_plugin_api, stream_state, 128);
ES_ASSERT_VALUE(ES_PLUGIN_API_SIZE_1_0, 104);
ES_ASSERT_VALUE(ES_PLUGIN_API_SIZE_1_1, 112);
ES_ASSERT_VALUE(ES_PLUGIN_API_SIZE_1_4, 120);

/* es_host_offer */
ES_ASSERT_SIZE(es_host_offer, 24);
ES_ASSERT_OFFSET(es_host_offer, struct_size, 0);
ES_ASSERT_OFFSET(es_host_offer, abi_major, 4);
ES_ASSERT_OFFSET(es_host_offer, abi_min_minor, 8);
ES_ASSERT_OFFSET(es_host_offer, abi_max_minor, 12);
ES_ASSERT_OFFSET(es_host_offer, host_version, 16);

#endif /* x86-64 Linux */

/* ISO C forbids an empty translation unit; on other platforms this is all there is. */
typedef int es_abi_layout_check_translation_unit;
