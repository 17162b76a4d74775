/* kurrent_store.c: see kurrent_store.h. */
#include "kurrent_store.h"

#include <stdlib.h>
#include <string.h>

#include "eventstore/plugin_util.h"
#include "kurrent_message.h"
#include "kurrent_options.h"

struct es_store {
    char* connection_string; /* NUL-terminated copy: what a real client would connect to */
};

static es_status unimplemented(const char* operation, es_error* err) {
    return kurrent_fail(ES_UNIMPLEMENTED, err, KURRENT_UNIMPLEMENTED_PREFIX, operation,
                        KURRENT_UNIMPLEMENTED_SUFFIX, (const char*)NULL);
}

/* Tells the server's log what this store is; the connection string may hold a password, so it is
 * not repeated. */
static void log_opened(const es_open_params* params) {
    static const char line[] =
        "kurrent backend: connection string accepted, no connection attempted; the backend is a "
        "stub and every data operation answers UNIMPLEMENTED";
    es_host_callbacks host;
    es_bytes message;
    if (params->host == NULL) return;
    if (es_util_read_struct(params->host, &host, sizeof host, sizeof host, "es_host_callbacks",
                            NULL) != ES_OK) {
        return;
    }
    if (host.log == NULL) return;
    message.ptr = (const uint8_t*)line;
    message.len = sizeof line - 1;
    host.log(host.host_context, ES_LOG_WARN, message);
}

es_status kurrent_store_open(const es_open_params* raw_params, es_store** out, es_error* err) {
    es_open_params params;
    kurrent_options options;
    es_store* store;
    es_status status = es_util_read_struct(raw_params, &params, sizeof params, sizeof params,
                                           "es_open_params", err);
    *out = NULL;
    if (status != ES_OK) return status;
    if (params.options == NULL) params.option_count = 0;
    status = kurrent_options_read(&params, &options, err);
    if (status != ES_OK) return status;

    store = calloc(1, sizeof *store);
    if (store != NULL) store->connection_string = malloc(options.connection_string.len + 1);
    if (store == NULL || store->connection_string == NULL) {
        free(store);
        return kurrent_fail(ES_RESOURCE_EXHAUSTED, err, "kurrent backend: out of memory",
                            (const char*)NULL);
    }
    memcpy(store->connection_string, options.connection_string.ptr, options.connection_string.len);
    store->connection_string[options.connection_string.len] = '\0';
    log_opened(&params);
    *out = store;
    return ES_OK;
}

void kurrent_store_close(es_store* store) {
    if (store == NULL) return;
    free(store->connection_string);
    free(store);
}

es_status kurrent_append(es_store* store, const es_append_request* request,
                         es_append_result* result, es_error* err) {
    (void)store;
    (void)request;
    (void)result;
    return unimplemented("append", err);
}

es_status kurrent_read_stream(es_store* store, const es_read_stream_request* request,
                              es_iterator** out, es_error* err) {
    (void)store;
    (void)request;
    if (out != NULL) *out = NULL;
    return unimplemented("read_stream", err);
}

es_status kurrent_read_all(es_store* store, const es_read_all_request* request, es_iterator** out,
                           es_error* err) {
    (void)store;
    (void)request;
    if (out != NULL) *out = NULL;
    return unimplemented("read_all", err);
}

es_status kurrent_iterator_next(es_iterator* iterator, es_recorded_event* event, bool* has_event,
                                es_error* err) {
    (void)iterator;
    (void)event;
    if (has_event != NULL) *has_event = false;
    return unimplemented("iterator_next", err);
}

es_status kurrent_iterator_page(es_iterator* iterator, es_page_info* page, es_error* err) {
    (void)iterator;
    (void)page;
    return unimplemented("iterator_page", err);
}

void kurrent_iterator_destroy(es_iterator* iterator) { (void)iterator; }
