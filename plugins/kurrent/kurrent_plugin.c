/*
 * kurrent_plugin.c: the Kurrent backend's entry point and table. Strict C11 and plugin.h alone:
 * this plugin also proves that the ABI is plain C.
 */
#include "eventstore/plugin.h"
#include "eventstore/plugin_util.h"
#include "kurrent_store.h"

#define KURRENT_BACKEND_VERSION "0.1.0"

/* The ABI minor whose rules this plugin implements; a later header does not change it. */
#define KURRENT_ABI_MINOR 3

static const es_plugin_api kurrent_table = {
    .struct_size = ES_UTIL_API_SIZE(KURRENT_ABI_MINOR),
    .abi_major = ES_PLUGIN_ABI_MAJOR,
    .abi_minor = KURRENT_ABI_MINOR,
    .name = "kurrent",
    .version = KURRENT_BACKEND_VERSION,
    .capabilities = 0, /* no notifications (nothing commits) and no durability of its own yet */
    .store_open = kurrent_store_open,
    .store_close = kurrent_store_close,
    .append = kurrent_append,
    .read_stream = kurrent_read_stream,
    .read_all = kurrent_read_all,
    .iterator_next = kurrent_iterator_next,
    .iterator_page = kurrent_iterator_page,
    .iterator_destroy = kurrent_iterator_destroy,
};

ES_PLUGIN_EXPORT es_status eventstore_plugin_entry(const es_host_offer* offer,
                                                   const es_plugin_api** api, es_error* err);

/* The host compares majors itself and names both versions when they differ, so the table is
 * handed out whatever the offer says. */
ES_PLUGIN_EXPORT es_status eventstore_plugin_entry(const es_host_offer* offer,
                                                   const es_plugin_api** api, es_error* err) {
    (void)offer;
    (void)err;
    *api = &kurrent_table;
    return ES_OK;
}
