/* kurrent_struct.c: see kurrent_struct.h. */
#include "kurrent_struct.h"

#include <stdint.h>
#include <string.h>

#include "kurrent_message.h"

es_status kurrent_read_struct(const void* in, void* out, size_t known_size, const char* what,
                              es_error* err) {
    uint32_t size;
    uint32_t known = (uint32_t)known_size;
    size_t i;
    if (in == NULL) {
        return kurrent_fail(ES_INVALID_ARGUMENT, err, what, " is NULL", (const char*)NULL);
    }
    memcpy(&size, in, sizeof size);
    if (size < sizeof size) {
        return kurrent_fail(ES_INVALID_ARGUMENT, err, what, ".struct_size is too small",
                            (const char*)NULL);
    }
    for (i = known_size; i < size; ++i) {
        if (((const unsigned char*)in)[i] != 0) {
            return kurrent_fail(ES_INVALID_ARGUMENT, err, what,
                                " has non-zero fields this build of the kurrent backend does not "
                                "know",
                                (const char*)NULL);
        }
    }
    memset(out, 0, known_size);
    memcpy(out, in, size < known_size ? size : known_size);
    memcpy(out, &known, sizeof known);
    return ES_OK;
}
