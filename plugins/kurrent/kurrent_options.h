/*
 * kurrent_options.h: the backend's options, read from the flattened key/value pairs of
 * es_open_params (the YAML `backend.options` map):
 *
 *   connection_string   required; a KurrentDB connection string (connection_string.h)
 *
 * Any other key is refused, naming it.
 */
#ifndef KURRENT_OPTIONS_H
#define KURRENT_OPTIONS_H

#include "eventstore/plugin.h"

typedef struct kurrent_options {
    es_bytes connection_string; /* borrowed from the es_open_params it was read from */
} kurrent_options;

/* Reads and checks the options. ES_OK, or ES_INVALID_ARGUMENT with err naming the key. */
es_status kurrent_options_read(const es_open_params* params, kurrent_options* out, es_error* err);

#endif
