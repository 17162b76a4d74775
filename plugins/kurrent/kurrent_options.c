/* kurrent_options.c: see kurrent_options.h. */
#include "kurrent_options.h"

#include <string.h>

#include "connection_string.h"
#include "kurrent_message.h"

static const char connection_string_key[] = "connection_string";

static bool is_key(es_bytes key, const char* name) {
    return key.len == strlen(name) && (key.len == 0 || memcmp(key.ptr, name, key.len) == 0);
}

static es_status unknown_option(es_bytes key, es_error* err) {
    kurrent_message message;
    kurrent_message_clear(&message);
    kurrent_message_add(&message, "unknown option '");
    kurrent_message_add_bytes(&message, key);
    kurrent_message_add(&message, "' for the kurrent backend (known: connection_string)");
    kurrent_message_write(&message, err);
    return ES_INVALID_ARGUMENT;
}

static es_status bad_connection_string(const kurrent_message* why, es_error* err) {
    kurrent_message message;
    kurrent_message_clear(&message);
    kurrent_message_add(&message,
                        "option connection_string of the kurrent backend is not a KurrentDB "
                        "connection string: ");
    kurrent_message_add(&message, why->text);
    kurrent_message_add(&message,
                        " (expected kurrentdb://[user:password@]host[:port][,host[:port]...]"
                        "[?key=value&...], e.g. kurrentdb://localhost:2113?tls=false)");
    kurrent_message_write(&message, err);
    return ES_INVALID_ARGUMENT;
}

es_status kurrent_options_read(const es_open_params* params, kurrent_options* out, es_error* err) {
    size_t i;
    bool found = false;
    for (i = 0; i < params->option_count; ++i) {
        const es_key_value* option = &params->options[i];
        kurrent_message why;
        if (!is_key(option->key, connection_string_key)) return unknown_option(option->key, err);
        if (!kurrent_connection_string_check(option->value, &why)) {
            return bad_connection_string(&why, err);
        }
        out->connection_string = option->value;
        found = true;
    }
    if (!found) {
        return kurrent_fail(ES_INVALID_ARGUMENT, err,
                            "option connection_string of the kurrent backend is required (e.g. "
                            "connection_string: kurrentdb://localhost:2113?tls=false)",
                            (const char*)NULL);
    }
    return ES_OK;
}
