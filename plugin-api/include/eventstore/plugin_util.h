/*
 * eventstore/plugin_util.h: the C helper for plugins written in C. The contract's input rules
 * (docs/contract.md "Append", bad input and limits), its append decisions (expected version,
 * stream owners), plugin.h's GROWTH rule, es_error writing and the table sizes of each ABI minor,
 * as C11 functions with the messages clients see. Header-only (every function static inline): no
 * library to link, and the C++ helpers (validation.hpp, append_rules.hpp, abi_struct.hpp) call the
 * same functions, so C and C++ plugins and the server refuse alike, in the same words.
 * Compiles as C11 and C++17; needs only the C standard library.
 *
 * VERSIONS  ES_UTIL_ABI_MINOR is the newest ABI minor whose rules this file knows. A plugin names
 *           the minor IT implements in its own code (examples/plugin-skeleton-c: SKELETON_ABI_MINOR)
 *           and passes it to the functions below that depend on it, so it keeps answering that
 *           minor, and reading requests as that minor knew them, whatever later header it is
 *           built against. Following a new minor is then: this file learns its sizes (and raises
 *           ES_UTIL_ABI_MINOR), the plugin raises its own minor, adds a table for it and
 *           implements what the minor added.
 * MESSAGES  Every function that refuses writes a NUL-terminated message into the caller's
 *           es_error (never past its struct_size) and returns the status; err may be NULL.
 */
#ifndef EVENTSTORE_PLUGIN_UTIL_H
#define EVENTSTORE_PLUGIN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventstore/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions: what each minor knew
 * ------------------------------------------------------------------------------------------- */

#define ES_UTIL_ABI_MINOR 5
#if ES_UTIL_ABI_MINOR > ES_PLUGIN_ABI_MINOR
#error "eventstore/plugin_util.h knows a newer ABI minor than eventstore/plugin.h"
#endif

/* The end of `field` in `type`: the size of a struct as the minor that added `field` last knew it
 * (sizeof would grow with every later minor). */
#define ES_UTIL_END_OF(type, field) (offsetof(type, field) + sizeof(((type*)0)->field))

/* The struct_size of an es_plugin_api table of minor `minor` (a constant expression, for static
 * tables): 1.0 ends before store_health; 1.1 added it; 1.2 and 1.3 added request fields only;
 * 1.4 added append_async; 1.5 change_stream and stream_state. */
#define ES_UTIL_API_SIZE(minor)                                              \
    ((minor) == 0  ? ES_PLUGIN_API_SIZE_1_0                                  \
     : (minor) < 4 ? ES_UTIL_END_OF(es_plugin_api, store_health)             \
     : (minor) < 5 ? ES_UTIL_END_OF(es_plugin_api, append_async)             \
                   : ES_UTIL_END_OF(es_plugin_api, stream_state))

/* The size of each request struct as minor `minor` knew it: before 1.2 without timeout_us,
 * before 1.3 without owner_tenant. */
static inline size_t es_util_append_request_size(uint32_t minor) {
    if (minor < 2) return offsetof(es_append_request, timeout_us);
    if (minor < 3) return offsetof(es_append_request, owner_tenant);
    return ES_UTIL_END_OF(es_append_request, owner_tenant);
}
static inline size_t es_util_read_stream_request_size(uint32_t minor) {
    if (minor < 2) return offsetof(es_read_stream_request, timeout_us);
    if (minor < 3) return offsetof(es_read_stream_request, owner_tenant);
    return ES_UTIL_END_OF(es_read_stream_request, owner_tenant);
}
static inline size_t es_util_read_all_request_size(uint32_t minor) {
    if (minor < 2) return offsetof(es_read_all_request, timeout_us);
    return ES_UTIL_END_OF(es_read_all_request, timeout_us);
}
/* The structs of 1.5 (stream lifecycle): 0 before 1.5, which has none. */
static inline size_t es_util_stream_change_request_size(uint32_t minor) {
    return minor < 5 ? 0 : ES_UTIL_END_OF(es_stream_change_request, owner_tenant);
}
static inline size_t es_util_stream_state_request_size(uint32_t minor) {
    return minor < 5 ? 0 : ES_UTIL_END_OF(es_stream_state_request, owner_tenant);
}

/* The minor to answer `offer` with (plugin.h es_plugin_entry_fn): the newest both sides know, at
 * most `own`. An offer of another major gets `own`: the host then refuses it, naming both. */
static inline uint32_t es_util_answer_minor(const es_host_offer* offer, uint32_t own) {
    if (offer == NULL || offer->struct_size < offsetof(es_host_offer, host_version) ||
        offer->abi_major != ES_PLUGIN_ABI_MAJOR) {
        return own;
    }
    return offer->abi_max_minor < own ? offer->abi_max_minor : own;
}

/* ---------------------------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------------------------- */

/* Copies `len` bytes of `message` into the host's es_error, cut to fit, NUL-terminated, never
 * past err->struct_size. err may be NULL. */
static inline void es_util_write_error(es_error* err, const char* message, size_t len) {
    size_t capacity;
    if (err == NULL || err->struct_size <= offsetof(es_error, message)) return;
    capacity = err->struct_size - offsetof(es_error, message);
    if (capacity > ES_ERROR_MESSAGE_CAPACITY) capacity = ES_ERROR_MESSAGE_CAPACITY;
    if (len > capacity - 1) len = capacity - 1;
    if (len > 0) memcpy(err->message, message, len);
    err->message[len] = '\0';
}

/* Writes the printf-style message into err and returns `status`. No allocation. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline es_status es_util_fail(es_error* err, es_status status, const char* format, ...) {
    char text[ES_ERROR_MESSAGE_CAPACITY];
    va_list args;
    int n;
    va_start(args, format);
    n = vsnprintf(text, sizeof text, format, args);
    va_end(args);
    if (n < 0) n = 0;
    es_util_write_error(err, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
    return status;
}

/* The length of `bytes`, capped at `limit`, as an int for "%.*s". */
static inline int es_util_shown(es_bytes bytes, size_t limit) {
    return (int)(bytes.len < limit ? bytes.len : limit);
}
/* The characters of `bytes` for "%.*s" ("" for a NULL pointer, which plugin.h allows when len is
 * 0). A NUL byte inside ends the text shown. */
static inline const char* es_util_text(es_bytes bytes) {
    return bytes.ptr == NULL ? "" : (const char*)bytes.ptr;
}
/* Stream ids are at most this long in messages. */
#define ES_UTIL_SHOWN_BYTES 256

/* ---------------------------------------------------------------------------------------------
 * plugin.h GROWTH
 * ------------------------------------------------------------------------------------------- */

/* Reads a struct the other side filled (its first field is uint32_t struct_size) into `out`, a
 * struct of `out_size` bytes of this build, of which the first `known` bytes are what the
 * plugin's minor knows (out_size for the header's own minor): a smaller struct is completed with
 * zeros, a larger one is accepted only when every byte beyond `known` is zero. out->struct_size
 * becomes out_size. ES_OK, or ES_INVALID_ARGUMENT naming `what`. */
static inline es_status es_util_read_struct(const void* in, void* out, size_t out_size,
                                            size_t known, const char* what, es_error* err) {
    uint32_t size;
    const unsigned char* raw = (const unsigned char*)in;
    size_t i;
    if (in == NULL) return es_util_fail(err, ES_INVALID_ARGUMENT, "%s is NULL", what);
    memcpy(&size, in, sizeof size);
    if (size < sizeof size) {
        return es_util_fail(err, ES_INVALID_ARGUMENT, "%s.struct_size %u is too small", what,
                            (unsigned)size);
    }
    for (i = known; i < size; ++i) {
        if (raw[i] != 0) {
            return es_util_fail(err, ES_INVALID_ARGUMENT,
                                "%s is %u bytes with non-zero fields beyond the %zu bytes this "
                                "build knows",
                                what, (unsigned)size, known);
        }
    }
    memset(out, 0, out_size);
    memcpy(out, in, size < known ? size : known);
    size = (uint32_t)out_size;
    memcpy(out, &size, sizeof size);
    return ES_OK;
}

/* Writes `value` (`value_size` bytes of this build) into a struct the other side owns, no
 * further than its struct_size, which it keeps. */
static inline void es_util_write_struct(void* out, const void* value, size_t value_size) {
    uint32_t size;
    memcpy(&size, out, sizeof size);
    memcpy(out, value, size < value_size ? size : value_size);
    memcpy(out, &size, sizeof size);
}

/* ---------------------------------------------------------------------------------------------
 * Input rules (docs/contract.md "Append", bad input and limits)
 * ------------------------------------------------------------------------------------------- */

#define ES_UTIL_DEFAULT_MAX_STREAM_ID_BYTES 256u
#define ES_UTIL_DEFAULT_MAX_APPEND_EVENTS 10000u
#define ES_UTIL_DEFAULT_MAX_APPEND_BYTES (4u * 1024 * 1024)
#define ES_UTIL_DEFAULT_PAGE_SIZE 100u
#define ES_UTIL_DEFAULT_MAX_PAGE_SIZE 1000u

/* The limits with every zero field replaced by its default. A NULL `given`, or one that fails
 * the growth rule, gives the defaults. */
static inline es_limits es_util_effective_limits(const es_limits* given) {
    es_limits limits;
    memset(&limits, 0, sizeof limits);
    if (given == NULL ||
        es_util_read_struct(given, &limits, sizeof limits, sizeof limits, "es_limits", NULL) !=
            ES_OK) {
        memset(&limits, 0, sizeof limits);
        limits.struct_size = (uint32_t)sizeof limits;
    }
    if (limits.max_stream_id_bytes == 0) limits.max_stream_id_bytes = ES_UTIL_DEFAULT_MAX_STREAM_ID_BYTES;
    if (limits.max_append_events == 0) limits.max_append_events = ES_UTIL_DEFAULT_MAX_APPEND_EVENTS;
    if (limits.max_append_bytes == 0) limits.max_append_bytes = ES_UTIL_DEFAULT_MAX_APPEND_BYTES;
    if (limits.default_page_size == 0) limits.default_page_size = ES_UTIL_DEFAULT_PAGE_SIZE;
    if (limits.max_page_size == 0) limits.max_page_size = ES_UTIL_DEFAULT_MAX_PAGE_SIZE;
    return limits;
}

/* The page size a read uses: 0 means the default page, above the cap is clamped. */
static inline uint32_t es_util_page_size(uint32_t requested, const es_limits* limits) {
    if (requested == 0) return limits->default_page_size;
    return requested > limits->max_page_size ? limits->max_page_size : requested;
}

/* True for the canonical 8-4-4-4-12 hexadecimal form (either case) and nothing else. */
static inline bool es_util_is_canonical_uuid(es_bytes text) {
    size_t i;
    if (text.len != 36) return false;
    for (i = 0; i < 36; ++i) {
        const char c = (char)text.ptr[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

static inline bool es_util_bytes_equal(es_bytes a, es_bytes b) {
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* A stream id: not empty, at most limits->max_stream_id_bytes, no NUL byte. `field` names it in
 * the message ("stream_id"). */
static inline es_status es_util_validate_stream_id(es_bytes stream_id, const es_limits* limits,
                                                   const char* field, es_error* err) {
    if (stream_id.len == 0) {
        return es_util_fail(err, ES_INVALID_ARGUMENT, "%s must not be empty", field);
    }
    if (stream_id.len > limits->max_stream_id_bytes) {
        return es_util_fail(err, ES_INVALID_ARGUMENT,
                            "%s is %zu bytes, longer than the limit of %u "
                            "(limits.max_stream_id_bytes)",
                            field, stream_id.len, (unsigned)limits->max_stream_id_bytes);
    }
    if (memchr(stream_id.ptr, '\0', stream_id.len) != NULL) {
        return es_util_fail(err, ES_INVALID_ARGUMENT, "%s must not contain a NUL byte", field);
    }
    return ES_OK;
}

/* The bytes one event counts against max_append_bytes: payload plus every metadata field. */
static inline uint64_t es_util_event_size(const es_event_data* event) {
    uint64_t size = (uint64_t)event->event_id.len + event->type_name.len +
                    event->content_type.len + event->tenant_id.len + event->correlation_id.len +
                    event->causation_id.len + event->payload.len;
    size_t h;
    for (h = 0; h < event->header_count; ++h) {
        size += (uint64_t)event->headers[h].key.len + event->headers[h].value.len;
    }
    return size;
}

/* The smallest index i whose event_id equals that of an earlier event (NULL events skipped), or
 * `count` when every id differs. Sorts a copy of the ids: O(n log n). ES_OK, or
 * ES_RESOURCE_EXHAUSTED when the copy cannot be allocated. */
typedef struct es_util_indexed_id {
    es_bytes id;
    size_t index;
} es_util_indexed_id;

static inline int es_util_compare_indexed_id(const void* a, const void* b) {
    const es_util_indexed_id* x = (const es_util_indexed_id*)a;
    const es_util_indexed_id* y = (const es_util_indexed_id*)b;
    const size_t common = x->id.len < y->id.len ? x->id.len : y->id.len;
    const int bytes = common == 0 ? 0 : memcmp(x->id.ptr, y->id.ptr, common);
    if (bytes != 0) return bytes;
    if (x->id.len != y->id.len) return x->id.len < y->id.len ? -1 : 1;
    return x->index < y->index ? -1 : (x->index > y->index ? 1 : 0);
}

static inline es_status es_util_first_repeated_id(const es_event_data* const* events, size_t count,
                                                  size_t* first, es_error* err) {
    es_util_indexed_id* ids;
    size_t n = 0;
    size_t i;
    *first = count;
    if (count < 2) return ES_OK;
    ids = (es_util_indexed_id*)malloc(count * sizeof *ids);
    if (ids == NULL) {
        return es_util_fail(err, ES_RESOURCE_EXHAUSTED,
                            "no memory to compare the event ids of an append of %zu events",
                            count);
    }
    for (i = 0; i < count; ++i) {
        if (events[i] == NULL) continue;
        ids[n].id = events[i]->event_id;
        ids[n].index = i;
        ++n;
    }
    qsort(ids, n, sizeof *ids, es_util_compare_indexed_id);
    /* Equal ids sit together, by index: each run's second entry repeats an earlier id. */
    for (i = 1; i < n; ++i) {
        if (es_util_bytes_equal(ids[i].id, ids[i - 1].id) &&
            (i < 2 || !es_util_bytes_equal(ids[i - 1].id, ids[i - 2].id)) &&
            ids[i].index < *first) {
            *first = ids[i].index;
        }
    }
    free(ids);
    return ES_OK;
}

/* Every rule of an append, in the order a client would want to hear them; the events are read
 * as given (normalise their struct_size first: es_util_read_append). */
static inline es_status es_util_validate_append(const es_append_request* request,
                                                const es_limits* limits, es_error* err) {
    es_status status;
    size_t repeated;
    size_t i;
    uint64_t total = 0;
    status = es_util_validate_stream_id(request->stream_id, limits, "stream_id", err);
    if (status != ES_OK) return status;
    if (request->expected_kind > ES_EXPECT_EXACT) {
        return es_util_fail(err, ES_INVALID_ARGUMENT, "expected_version has an unknown kind %u",
                            (unsigned)request->expected_kind);
    }
    if (request->event_count == 0 || request->events == NULL) {
        return es_util_fail(err, ES_INVALID_ARGUMENT, "events must hold at least one event");
    }
    if (request->event_count > limits->max_append_events) {
        return es_util_fail(err, ES_RESOURCE_EXHAUSTED,
                            "append of %zu events exceeds limits.max_append_events (%u)",
                            request->event_count, (unsigned)limits->max_append_events);
    }
    status = es_util_first_repeated_id(request->events, request->event_count, &repeated, err);
    if (status != ES_OK) return status;
    for (i = 0; i < request->event_count; ++i) {
        const es_event_data* event = request->events[i];
        if (event == NULL) return es_util_fail(err, ES_INVALID_ARGUMENT, "events[%zu] is missing", i);
        if (!es_util_is_canonical_uuid(event->event_id)) {
            return es_util_fail(err, ES_INVALID_ARGUMENT,
                                "events[%zu].metadata.event_id '%.*s' is not a UUID in the "
                                "canonical 8-4-4-4-12 form",
                                i, es_util_shown(event->event_id, 64),
                                es_util_text(event->event_id));
        }
        if (i == repeated) {
            return es_util_fail(err, ES_INVALID_ARGUMENT,
                                "events[%zu].metadata.event_id %.*s appears twice in this append",
                                i, es_util_shown(event->event_id, 64),
                                es_util_text(event->event_id));
        }
        if (event->type_name.len == 0) {
            return es_util_fail(err, ES_INVALID_ARGUMENT,
                                "events[%zu].metadata.type_name must not be empty", i);
        }
        total += es_util_event_size(event);
    }
    if (total > limits->max_append_bytes) {
        return es_util_fail(err, ES_RESOURCE_EXHAUSTED,
                            "append of %llu bytes exceeds limits.max_append_bytes (%llu)",
                            (unsigned long long)total,
                            (unsigned long long)limits->max_append_bytes);
    }
    return ES_OK;
}

/* An append request read through the growth rule, with its events: what es_util_read_append
 * fills. `request.events` points at `pointers`, each at one of `events`. */
typedef struct es_util_append {
    es_append_request request;
    es_event_data* events;
    const es_event_data** pointers;
} es_util_append;

static inline void es_util_append_free(es_util_append* append) {
    free(append->events);
    free((void*)append->pointers);
    append->events = NULL;
    append->pointers = NULL;
}

/* Reads `in` as ABI minor `minor` knew it, and each event through its struct_size, into `out`
 * (free it with es_util_append_free, also after a failure), then applies
 * es_util_validate_append. What the C++ helper does before Store::append sees a request. */
static inline es_status es_util_read_append(const es_append_request* in, uint32_t minor,
                                            const es_limits* limits, es_util_append* out,
                                            es_error* err) {
    es_status status;
    size_t i;
    size_t count;
    memset(out, 0, sizeof *out);
    status = es_util_read_struct(in, &out->request, sizeof out->request,
                                 es_util_append_request_size(minor), "es_append_request", err);
    if (status != ES_OK) return status;
    count = out->request.event_count;
    if (out->request.events == NULL && count != 0) {
        return es_util_fail(err, ES_INVALID_ARGUMENT, "es_append_request.events is NULL");
    }
    if (count > limits->max_append_events) {  /* before allocating for them */
        return es_util_validate_append(&out->request, limits, err);
    }
    if (count > 0) {
        out->events = (es_event_data*)calloc(count, sizeof *out->events);
        out->pointers = (const es_event_data**)calloc(count, sizeof *out->pointers);
        if (out->events == NULL || out->pointers == NULL) {
            return es_util_fail(err, ES_RESOURCE_EXHAUSTED,
                                "no memory to read an append of %zu events", count);
        }
    }
    for (i = 0; i < count; ++i) {
        status = es_util_read_struct(out->request.events[i], &out->events[i],
                                     sizeof out->events[i], sizeof out->events[i],
                                     "es_event_data", err);
        if (status != ES_OK) return status;
        out->pointers[i] = &out->events[i];
    }
    out->request.events = out->pointers;
    return es_util_validate_append(&out->request, limits, err);
}

/* The rules of a stream change (plugin.h "Stream lifecycle") that need no stored state: the
 * stream id, a known kind, and a known expected version kind for DELETE and TOMBSTONE. */
static inline es_status es_util_validate_stream_change(const es_stream_change_request* request,
                                                       const es_limits* limits, es_error* err) {
    es_status status = es_util_validate_stream_id(request->stream_id, limits, "stream_id", err);
    if (status != ES_OK) return status;
    if (request->kind < ES_CHANGE_DELETE || request->kind > ES_CHANGE_SET_RETENTION) {
        return es_util_fail(err, ES_INVALID_ARGUMENT, "es_stream_change_request has an unknown kind %u",
                            (unsigned)request->kind);
    }
    if ((request->kind == ES_CHANGE_DELETE || request->kind == ES_CHANGE_TOMBSTONE) &&
        request->expected_kind > ES_EXPECT_EXACT) {
        return es_util_fail(err, ES_INVALID_ARGUMENT, "expected_version has an unknown kind %u",
                            (unsigned)request->expected_kind);
    }
    return ES_OK;
}

/* ---------------------------------------------------------------------------------------------
 * The append's decisions (docs/contract.md "Append"; plugin.h "Stream owners")
 * ------------------------------------------------------------------------------------------- */

/* Whether a stream at `current` (its last_version, plugin.h "Stream lifecycle") satisfies an
 * expected version of kind `kind` (es_expected_kind): the rule of appends and of DELETE and
 * TOMBSTONE alike. */
static inline bool es_util_expected_version_matches(uint32_t kind, uint64_t expected_version,
                                                    uint64_t current) {
    switch (kind) {
    case ES_EXPECT_NO_STREAM: return current == 0;
    case ES_EXPECT_STREAM_EXISTS: return current >= 1;
    case ES_EXPECT_EXACT: return current == expected_version;
    default: return true; /* ES_EXPECT_ANY: validation refused every other kind */
    }
}

/* Whether a stream at `current` satisfies the request's expected version. */
static inline bool es_util_expected_matches(const es_append_request* request, uint64_t current) {
    return es_util_expected_version_matches(request->expected_kind, request->expected_version,
                                            current);
}

/* ES_FAILED_PRECONDITION naming the expected version (`kind`, `expected_version`) and the
 * stream's `current` one, in the words of every wrong expected version. */
static inline es_status es_util_fail_expected_version(es_bytes stream_id, uint32_t kind,
                                                      uint64_t expected_version, uint64_t current,
                                                      es_error* err) {
    char expected[48];
    switch (kind) {
    case ES_EXPECT_NO_STREAM: snprintf(expected, sizeof expected, "no stream"); break;
    case ES_EXPECT_STREAM_EXISTS: snprintf(expected, sizeof expected, "an existing stream"); break;
    case ES_EXPECT_EXACT:
        snprintf(expected, sizeof expected, "exact %llu", (unsigned long long)expected_version);
        break;
    default: snprintf(expected, sizeof expected, "any"); break;
    }
    return es_util_fail(err, ES_FAILED_PRECONDITION,
                        "wrong expected version for stream '%.*s': expected %s, actual %llu",
                        es_util_shown(stream_id, ES_UTIL_SHOWN_BYTES), es_util_text(stream_id),
                        expected, (unsigned long long)current);
}

/* ES_FAILED_PRECONDITION for a stream at `current`; sets result->actual_version. */
static inline es_status es_util_wrong_expected_version(const es_append_request* request,
                                                       uint64_t current, es_append_result* result,
                                                       es_error* err) {
    result->actual_version = current;
    return es_util_fail_expected_version(request->stream_id, request->expected_kind,
                                         request->expected_version, current, err);
}

/* plugin.h "Stream owners": true when the request names an owner (owner_tenant, len > 0) and the
 * stream, whose version-1 event carries `first_tenant`, belongs to another. */
static inline bool es_util_owned_by_another(es_bytes owner_tenant, es_bytes first_tenant) {
    return owner_tenant.len > 0 && !es_util_bytes_equal(owner_tenant, first_tenant);
}

/* ES_PERMISSION_DENIED for an append into a stream of another owner. */
static inline es_status es_util_not_the_owner(es_bytes stream_id, es_error* err) {
    return es_util_fail(err, ES_PERMISSION_DENIED, "stream '%.*s' belongs to another tenant",
                        es_util_shown(stream_id, ES_UTIL_SHOWN_BYTES), es_util_text(stream_id));
}

/* ES_NOT_FOUND for a read of a stream with no events, and of a stream of another owner alike. */
static inline es_status es_util_stream_not_found(es_bytes stream_id, es_error* err) {
    return es_util_fail(err, ES_NOT_FOUND, "stream '%.*s' not found",
                        es_util_shown(stream_id, ES_UTIL_SHOWN_BYTES), es_util_text(stream_id));
}

/* What the store holds under the event_id of one request event: es_util_judge_retry's input. */
typedef struct es_util_stored_id {
    bool stored; /* false: no event with this id is stored; the rest is then ignored */
    es_bytes stream_id;
    uint64_t stream_version;
    uint64_t global_position;
} es_util_stored_id;

/* ES_ALREADY_EXISTS for request event `index`, stored as `stored`. */
static inline es_status es_util_already_stored(const es_append_request* request, size_t index,
                                               const es_util_stored_id* stored, const char* why,
                                               es_error* err) {
    const es_bytes id = request->events[index]->event_id;
    return es_util_fail(err, ES_ALREADY_EXISTS,
                        "events[%zu].metadata.event_id %.*s is already stored in stream '%.*s' at "
                        "version %llu (position %llu), and this append is not an idempotent "
                        "retry: %s",
                        index, es_util_shown(id, 64), es_util_text(id),
                        es_util_shown(stored->stream_id, ES_UTIL_SHOWN_BYTES),
                        es_util_text(stored->stream_id), (unsigned long long)stored->stream_version,
                        (unsigned long long)stored->global_position, why);
}

/* The idempotent-retry rule. `found[i]` says what is stored under request event i's id. OK with
 * *retry false when none is stored; OK with *retry true and `result` filled (the original versions
 * and positions) when every id is stored, in this stream, as consecutive versions in the
 * request's order; otherwise ES_ALREADY_EXISTS naming the first offending event. */
static inline es_status es_util_judge_retry(const es_append_request* request,
                                            const es_util_stored_id* found, bool* retry,
                                            es_append_result* result, es_error* err) {
    char why[ES_UTIL_SHOWN_BYTES + 64];
    size_t first_stored = request->event_count;
    size_t i;
    const size_t last = request->event_count - 1;
    *retry = false;
    for (i = 0; i < request->event_count && first_stored == request->event_count; ++i) {
        if (found[i].stored) first_stored = i;
    }
    if (first_stored == request->event_count) return ES_OK;
    for (i = 0; i < request->event_count; ++i) {
        if (!found[i].stored) {
            snprintf(why, sizeof why, "events[%zu] is not stored", i);
            return es_util_already_stored(request, first_stored, &found[first_stored], why, err);
        }
        if (!es_util_bytes_equal(found[i].stream_id, request->stream_id)) {
            snprintf(why, sizeof why, "this append is to stream '%.*s'",
                     es_util_shown(request->stream_id, ES_UTIL_SHOWN_BYTES),
                     es_util_text(request->stream_id));
            return es_util_already_stored(request, i, &found[i], why, err);
        }
        if (found[i].stream_version != found[0].stream_version + i) {
            return es_util_already_stored(request, i, &found[i],
                                          "the stored events are not consecutive in this order",
                                          err);
        }
    }
    *retry = true;
    result->current_version = found[last].stream_version;
    result->first_global_position = found[0].global_position;
    result->last_global_position = found[last].global_position;
    return ES_OK;
}

/* ---------------------------------------------------------------------------------------------
 * The stream lifecycle's decisions (plugin.h "Stream lifecycle"), over a stream's es_stream_state
 * ------------------------------------------------------------------------------------------- */

/* Whether a DELETE or TOMBSTONE's expected version meets the stream's last_version (every other
 * kind has none: true). */
static inline bool es_util_change_expected_matches(const es_stream_change_request* request,
                                                   uint64_t last_version) {
    if (request->kind != ES_CHANGE_DELETE && request->kind != ES_CHANGE_TOMBSTONE) return true;
    return es_util_expected_version_matches(request->expected_kind, request->expected_version,
                                            last_version);
}

/* ES_FAILED_PRECONDITION for a DELETE or TOMBSTONE whose expected version the stream's
 * last_version does not meet; sets state->last_version (the actual version). */
static inline es_status es_util_change_wrong_expected_version(
    const es_stream_change_request* request, uint64_t last_version, es_stream_state* state,
    es_error* err) {
    state->last_version = last_version;
    return es_util_fail_expected_version(request->stream_id, request->expected_kind,
                                         request->expected_version, last_version, err);
}

/* ES_FAILED_PRECONDITION for an append or a change of a tombstoned stream (plugin.h: the caller
 * sets es_append_result.tombstoned or es_stream_state.tombstoned). */
static inline es_status es_util_stream_tombstoned(es_bytes stream_id, es_error* err) {
    return es_util_fail(err, ES_FAILED_PRECONDITION,
                        "stream '%.*s' is tombstoned: it was deleted for good and takes no "
                        "append or change",
                        es_util_shown(stream_id, ES_UTIL_SHOWN_BYTES), es_util_text(stream_id));
}

/* The lowest version of a stream that is readable at `now_us` (plugin.h READABLE), from its state
 * alone: truncate_before and max_count. Retention by age also needs each event's recorded_at_us:
 * es_util_young_enough. */
static inline uint64_t es_util_first_kept_version(const es_stream_state* state) {
    uint64_t first = state->truncate_before > 1 ? state->truncate_before : 1;
    if (state->max_count != 0 && state->last_version > state->max_count &&
        state->last_version - state->max_count + 1 > first) {
        first = state->last_version - state->max_count + 1;
    }
    return first;
}

/* Whether an event recorded at `recorded_at_us` is kept at `now_us` by the retention by age of
 * `state` (max_age_us 0: always). */
static inline bool es_util_young_enough(const es_stream_state* state, int64_t recorded_at_us,
                                        int64_t now_us) {
    return state->max_age_us == 0 ||
           (uint64_t)(now_us > recorded_at_us ? now_us - recorded_at_us : 0) <= state->max_age_us;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EVENTSTORE_PLUGIN_UTIL_H */
