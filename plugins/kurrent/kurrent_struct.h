/*
 * kurrent_struct.h: plugin.h's GROWTH rule for structs the host fills. A smaller struct (an older
 * host) is completed with zeros; a larger one (a newer host) is accepted only when every byte this
 * build does not know is zero.
 */
#ifndef KURRENT_STRUCT_H
#define KURRENT_STRUCT_H

#include <stddef.h>

#include "eventstore/plugin.h"

/* Copies the struct at `in` (its first field is uint32_t struct_size) into `out`, which is
 * `known_size` bytes, following the rule above. ES_OK, or ES_INVALID_ARGUMENT with err naming
 * `what`. */
es_status kurrent_read_struct(const void* in, void* out, size_t known_size, const char* what,
                              es_error* err);

#endif
