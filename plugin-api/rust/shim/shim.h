/*
 * shim.h: plugin_util.h's static inline functions (and its ES_UTIL_API_SIZE macro) as extern
 * functions, so that Rust calls the one implementation of the input rules, the growth rule and
 * the append decisions that C and C++ plugins and the server use. Compiled by build.rs (shim.c);
 * src/sys.rs is generated from this header by scripts/regenerate.sh (bindgen).
 */
#ifndef EVENTSTORE_RUST_SHIM_H
#define EVENTSTORE_RUST_SHIM_H

#include "eventstore/plugin.h"
#include "eventstore/plugin_util.h"

size_t es_rs_api_size(uint32_t minor);
size_t es_rs_append_request_size(uint32_t minor);
size_t es_rs_read_stream_request_size(uint32_t minor);
size_t es_rs_read_all_request_size(uint32_t minor);
size_t es_rs_stream_change_request_size(uint32_t minor);
size_t es_rs_stream_state_request_size(uint32_t minor);
uint32_t es_rs_answer_minor(const es_host_offer* offer, uint32_t own);

void es_rs_write_error(es_error* err, const char* message, size_t len);
es_status es_rs_read_struct(const void* in, void* out, size_t out_size, size_t known,
                            const char* what, es_error* err);
void es_rs_write_struct(void* out, const void* value, size_t value_size);

es_limits es_rs_effective_limits(const es_limits* given);
uint32_t es_rs_page_size(uint32_t requested, const es_limits* limits);
es_status es_rs_validate_stream_id(es_bytes stream_id, const es_limits* limits, const char* field,
                                   es_error* err);
es_status es_rs_read_append(const es_append_request* in, uint32_t minor, const es_limits* limits,
                            es_util_append* out, es_error* err);
void es_rs_append_free(es_util_append* append);
es_status es_rs_validate_stream_change(const es_stream_change_request* request,
                                       const es_limits* limits, es_error* err);

bool es_rs_expected_matches(const es_append_request* request, uint64_t current);
es_status es_rs_wrong_expected_version(const es_append_request* request, uint64_t current,
                                       es_append_result* result, es_error* err);
bool es_rs_owned_by_another(es_bytes owner_tenant, es_bytes first_tenant);
es_status es_rs_not_the_owner(es_bytes stream_id, es_error* err);
es_status es_rs_stream_not_found(es_bytes stream_id, es_error* err);
es_status es_rs_judge_retry(const es_append_request* request, const es_util_stored_id* found,
                            bool* retry, es_append_result* result, es_error* err);

#endif /* EVENTSTORE_RUST_SHIM_H */
