/* kurrent_message.c: see kurrent_message.h. */
#include "kurrent_message.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "eventstore/plugin_util.h"

void kurrent_message_clear(kurrent_message* message) {
    message->len = 0;
    message->text[0] = '\0';
}

static void add_run(kurrent_message* message, const char* text, size_t len) {
    const size_t room = sizeof(message->text) - 1 - message->len;
    if (len > room) len = room;
    memcpy(message->text + message->len, text, len);
    message->len += len;
    message->text[message->len] = '\0';
}

void kurrent_message_add(kurrent_message* message, const char* text) {
    add_run(message, text, strlen(text));
}

void kurrent_message_add_bytes(kurrent_message* message, es_bytes bytes) {
    size_t i;
    for (i = 0; i < bytes.len; ++i) {
        if (bytes.ptr[i] == 0) {
            add_run(message, "\\0", 2);
        } else {
            add_run(message, (const char*)bytes.ptr + i, 1);
        }
    }
}

void kurrent_message_add_unsigned(kurrent_message* message, unsigned long value) {
    char digits[32];
    snprintf(digits, sizeof digits, "%lu", value);
    kurrent_message_add(message, digits);
}

void kurrent_message_write(const kurrent_message* message, es_error* err) {
    es_util_write_error(err, message->text, message->len);
}

es_status kurrent_fail(es_status status, es_error* err, const char* first, ...) {
    kurrent_message message;
    const char* text;
    va_list texts;
    kurrent_message_clear(&message);
    va_start(texts, first);
    for (text = first; text != NULL; text = va_arg(texts, const char*)) {
        kurrent_message_add(&message, text);
    }
    va_end(texts);
    kurrent_message_write(&message, err);
    return status;
}
