/* shim.c: see shim.h. Each function only calls its plugin_util.h namesake. */
#include "shim.h"

size_t es_rs_api_size(uint32_t minor) { return ES_UTIL_API_SIZE(minor); }
size_t es_rs_append_request_size(uint32_t minor) { return es_util_append_request_size(minor); }
size_t es_rs_read_stream_request_size(uint32_t minor) {
    return es_util_read_stream_request_size(minor);
}
size_t es_rs_read_all_request_size(uint32_t minor) { return es_util_read_all_request_size(minor); }
size_t es_rs_stream_change_request_size(uint32_t minor) {
    return es_util_stream_change_request_size(minor);
}
size_t es_rs_stream_state_request_size(uint32_t minor) {
    return es_util_stream_state_request_size(minor);
}
uint32_t es_rs_answer_minor(const es_host_offer* offer, uint32_t own) {
    return es_util_answer_minor(offer, own);
}

void es_rs_write_error(es_error* err, const char* message, size_t len) {
    es_util_write_error(err, message, len);
}
es_status es_rs_read_struct(const void* in, void* out, size_t out_size, size_t known,
                            const char* what, es_error* err) {
    return es_util_read_struct(in, out, out_size, known, what, err);
}
void es_rs_write_struct(void* out, const void* value, size_t value_size) {
    es_util_write_struct(out, value, value_size);
}

es_limits es_rs_effective_limits(const es_limits* given) { return es_util_effective_limits(given); }
uint32_t es_rs_page_size(uint32_t requested, const es_limits* limits) {
    return es_util_page_size(requested, limits);
}
es_status es_rs_validate_stream_id(es_bytes stream_id, const es_limits* limits, const char* field,
                                   es_error* err) {
    return es_util_validate_stream_id(stream_id, limits, field, err);
}
es_status es_rs_read_append(const es_append_request* in, uint32_t minor, const es_limits* limits,
                            es_util_append* out, es_error* err) {
    return es_util_read_append(in, minor, limits, out, err);
}
void es_rs_append_free(es_util_append* append) { es_util_append_free(append); }
es_status es_rs_validate_stream_change(const es_stream_change_request* request,
                                       const es_limits* limits, es_error* err) {
    return es_util_validate_stream_change(request, limits, err);
}

bool es_rs_expected_matches(const es_append_request* request, uint64_t current) {
    return es_util_expected_matches(request, current);
}
es_status es_rs_wrong_expected_version(const es_append_request* request, uint64_t current,
                                       es_append_result* result, es_error* err) {
    return es_util_wrong_expected_version(request, current, result, err);
}
bool es_rs_owned_by_another(es_bytes owner_tenant, es_bytes first_tenant) {
    return es_util_owned_by_another(owner_tenant, first_tenant);
}
es_status es_rs_not_the_owner(es_bytes stream_id, es_error* err) {
    return es_util_not_the_owner(stream_id, err);
}
es_status es_rs_stream_not_found(es_bytes stream_id, es_error* err) {
    return es_util_stream_not_found(stream_id, err);
}
es_status es_rs_judge_retry(const es_append_request* request, const es_util_stored_id* found,
                            bool* retry, es_append_result* result, es_error* err) {
    return es_util_judge_retry(request, found, retry, result, err);
}
