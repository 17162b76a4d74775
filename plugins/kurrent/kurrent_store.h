/*
 * kurrent_store.h: the Kurrent backend's store. A stub: opening checks the options and keeps a
 * copy of the connection string, but connects to nothing; every data operation answers
 * ES_UNIMPLEMENTED with a message that says why (docs/kurrent-backend.md says what it would take).
 */
#ifndef KURRENT_STORE_H
#define KURRENT_STORE_H

#include <stdbool.h>

#include "eventstore/plugin.h"

/* The message every data operation answers with, for `operation` (e.g. "append"). */
#define KURRENT_UNIMPLEMENTED_PREFIX "the Kurrent backend is not implemented yet: "
#define KURRENT_UNIMPLEMENTED_SUFFIX \
    " needs a KurrentDB gRPC client (see docs/kurrent-backend.md)"

es_status kurrent_store_open(const es_open_params* params, es_store** out, es_error* err);
void kurrent_store_close(es_store* store);

es_status kurrent_append(es_store* store, const es_append_request* request,
                         es_append_result* result, es_error* err);
es_status kurrent_read_stream(es_store* store, const es_read_stream_request* request,
                              es_iterator** out, es_error* err);
es_status kurrent_read_all(es_store* store, const es_read_all_request* request, es_iterator** out,
                           es_error* err);

/* No read ever opens an iterator; these exist because the table must name them. */
es_status kurrent_iterator_next(es_iterator* iterator, es_recorded_event* event, bool* has_event,
                                es_error* err);
es_status kurrent_iterator_page(es_iterator* iterator, es_page_info* page, es_error* err);
void kurrent_iterator_destroy(es_iterator* iterator);

#endif
