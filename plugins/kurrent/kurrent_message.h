/*
 * kurrent_message.h: building the plugin's error messages in a fixed buffer (no allocation, so a
 * message can always be written) and handing them to the host's es_error.
 */
#ifndef KURRENT_MESSAGE_H
#define KURRENT_MESSAGE_H

#include <stddef.h>

#include "eventstore/plugin.h"

/* A message under construction; text stays NUL-terminated, and what does not fit is cut. */
typedef struct kurrent_message {
    char text[ES_ERROR_MESSAGE_CAPACITY];
    size_t len;
} kurrent_message;

void kurrent_message_clear(kurrent_message* message);
void kurrent_message_add(kurrent_message* message, const char* text);
/* Adds borrowed bytes (not NUL-terminated); a NUL byte inside is shown as "\0". */
void kurrent_message_add_bytes(kurrent_message* message, es_bytes bytes);
void kurrent_message_add_unsigned(kurrent_message* message, unsigned long value);

/* Copies the message into the host's error, never past err->struct_size; err may be NULL. */
void kurrent_message_write(const kurrent_message* message, es_error* err);

/* Writes `status`'s message, the NULL-terminated list of texts joined, and returns `status`. */
es_status kurrent_fail(es_status status, es_error* err, const char* first, ...);

#endif
