/*
 * skeleton_plugin.c: the smallest complete eventstored backend in plain C11, an in-memory store
 * written with the kit's C helper (eventstore/plugin_util.h). Copy it to start a backend of your
 * own in C; examples/plugin-skeleton is the same store in C++ with plugin.hpp.
 *
 * The helper gives the rules every backend shares: plugin.h's GROWTH rule (es_util_read_struct,
 * es_util_read_append), the contract's input rules and limits (es_util_read_append applies
 * es_util_validate_append), the append's decisions (expected version, idempotent retry, stream
 * owners) with the messages clients see, and es_error writing. What is left here is the store:
 * atomic appends, reads of a stream and of the global log, commit notifications.
 *
 * Threads: the host calls a store from many threads at once; one mutex guards all of it. An
 * iterator holds a reference on its store, so that store_close with iterators open is safe.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eventstore/plugin.h"
#include "eventstore/plugin_util.h"

/* The ABI minor whose rules this plugin implements (stream owners: 1.3). It answers this minor,
 * or an older host's newest, whatever later header it is built against. Following a new minor:
 * raise it, add the minor's table below, and implement what the minor added. */
#define SKELETON_ABI_MINOR 3
#if SKELETON_ABI_MINOR > ES_UTIL_ABI_MINOR
#error "SKELETON_ABI_MINOR is newer than the rules eventstore/plugin_util.h knows"
#endif

#define SKELETON_MAX_SCAN 10000 /* positions one read_all scans when max_scan is 0 */

/* ---------------------------------------------------------------------------------------------
 * Stored events: one block each, never changed once stored
 * ------------------------------------------------------------------------------------------- */

/* `view` is what iterator_next hands out; its bytes and headers point into the same block. */
typedef struct sk_event {
    es_recorded_event view;
} sk_event;

/* Copies `bytes` to *cursor and returns the copy (NULL pointer for no bytes). */
static es_bytes copy_bytes(es_bytes bytes, uint8_t** cursor) {
    es_bytes copy = {NULL, bytes.len};
    if (bytes.len == 0) return copy;
    memcpy(*cursor, bytes.ptr, bytes.len);
    copy.ptr = *cursor;
    *cursor += bytes.len;
    return copy;
}

/* One block holding the event, its headers array and every byte; NULL when out of memory. */
static sk_event* copy_event(const es_event_data* d, es_bytes stream_id) {
    size_t bytes = stream_id.len + d->event_id.len + d->type_name.len + d->content_type.len +
                   d->tenant_id.len + d->correlation_id.len + d->causation_id.len + d->payload.len;
    size_t h;
    sk_event* event;
    es_key_value* headers;
    uint8_t* cursor;
    for (h = 0; h < d->header_count; ++h) bytes += d->headers[h].key.len + d->headers[h].value.len;
    event = malloc(sizeof *event + d->header_count * sizeof *headers + bytes);
    if (event == NULL) return NULL;
    memset(&event->view, 0, sizeof event->view);
    event->view.struct_size = sizeof event->view;
    headers = (es_key_value*)(event + 1);
    cursor = (uint8_t*)(headers + d->header_count);
    event->view.stream_id = copy_bytes(stream_id, &cursor);
    event->view.event_id = copy_bytes(d->event_id, &cursor);
    event->view.type_name = copy_bytes(d->type_name, &cursor);
    event->view.content_type = copy_bytes(d->content_type, &cursor);
    event->view.tenant_id = copy_bytes(d->tenant_id, &cursor);
    event->view.correlation_id = copy_bytes(d->correlation_id, &cursor);
    event->view.causation_id = copy_bytes(d->causation_id, &cursor);
    event->view.payload = copy_bytes(d->payload, &cursor);
    for (h = 0; h < d->header_count; ++h) {
        headers[h].key = copy_bytes(d->headers[h].key, &cursor);
        headers[h].value = copy_bytes(d->headers[h].value, &cursor);
    }
    event->view.headers = d->header_count > 0 ? headers : NULL;
    event->view.header_count = d->header_count;
    return event;
}

/* ---------------------------------------------------------------------------------------------
 * A growing array of event pointers, and a hash table from bytes to a pointer
 * ------------------------------------------------------------------------------------------- */

typedef struct sk_events {
    sk_event** items;
    size_t count;
    size_t capacity;
} sk_events;

/* Room for `more` items; false when out of memory (nothing changed). */
static bool events_reserve(sk_events* events, size_t more) {
    size_t capacity = events->capacity == 0 ? 16 : events->capacity;
    sk_event** items;
    if (events->count + more <= events->capacity) return true;
    while (capacity < events->count + more) capacity *= 2;
    items = realloc(events->items, capacity * sizeof *items);
    if (items == NULL) return false;
    events->items = items;
    events->capacity = capacity;
    return true;
}

typedef struct sk_slot {
    es_bytes key; /* borrowed from the value, which lives as long as the table; len 0: free */
    void* value;
} sk_slot;

typedef struct sk_table {
    sk_slot* slots;
    size_t capacity; /* a power of two */
    size_t count;
} sk_table;

static uint64_t hash_bytes(es_bytes key) {
    uint64_t hash = 1469598103934665603ull; /* FNV-1a */
    size_t i;
    for (i = 0; i < key.len; ++i) hash = (hash ^ key.ptr[i]) * 1099511628211ull;
    return hash;
}

static sk_slot* table_slot(const sk_table* table, es_bytes key) {
    size_t i = (size_t)hash_bytes(key) & (table->capacity - 1);
    while (table->slots[i].key.len != 0 && !es_util_bytes_equal(table->slots[i].key, key)) {
        i = (i + 1) & (table->capacity - 1);
    }
    return &table->slots[i];
}

static void* table_find(const sk_table* table, es_bytes key) {
    return table->capacity == 0 ? NULL : table_slot(table, key)->value;
}

/* Room for `more` new keys at a load of at most one half; false when out of memory. */
static bool table_reserve(sk_table* table, size_t more) {
    sk_table grown = {NULL, table->capacity == 0 ? 64 : table->capacity, 0};
    size_t i;
    if (2 * (table->count + more) <= table->capacity) return true;
    while (2 * (table->count + more) > grown.capacity) grown.capacity *= 2;
    grown.slots = calloc(grown.capacity, sizeof *grown.slots);
    if (grown.slots == NULL) return false;
    for (i = 0; i < table->capacity; ++i) {
        if (table->slots[i].key.len != 0) *table_slot(&grown, table->slots[i].key) = table->slots[i];
    }
    grown.count = table->count;
    free(table->slots);
    *table = grown;
    return true;
}

/* Adds a key that is not in the table, after table_reserve. Keys are never empty here. */
static void table_add(sk_table* table, es_bytes key, void* value) {
    sk_slot* slot = table_slot(table, key);
    slot->key = key;
    slot->value = value;
    ++table->count;
}

/* ---------------------------------------------------------------------------------------------
 * The store
 * ------------------------------------------------------------------------------------------- */

typedef struct sk_stream {
    sk_events events; /* version v at v - 1; never empty */
} sk_stream;

struct es_store {
    pthread_mutex_t mutex;
    es_host_callbacks host;
    es_limits limits;
    atomic_size_t references; /* the host's (until store_close) and one per open iterator */
    sk_events log;            /* position p at p - 1 */
    sk_table streams;         /* stream id -> sk_stream */
    sk_table ids;             /* event id -> sk_event */
    int64_t last_recorded_at_us; /* recorded_at never goes back along positions */
};

static int64_t now_us(void) {
    struct timespec now;
    timespec_get(&now, TIME_UTC);
    return (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

static void store_release(es_store* store) {
    size_t i;
    if (atomic_fetch_sub(&store->references, 1) != 1) return;
    for (i = 0; i < store->streams.capacity; ++i) {
        sk_stream* stream = store->streams.slots[i].value;
        if (stream != NULL) free(stream->events.items);
        free(stream);
    }
    for (i = 0; i < store->log.count; ++i) free(store->log.items[i]);
    free(store->log.items);
    free(store->streams.slots);
    free(store->ids.slots);
    pthread_mutex_destroy(&store->mutex);
    free(store);
}

/* Options come flattened from the YAML `backend.options`; this plugin takes none, and refuses
 * any, naming it. */
static es_status skeleton_open(const es_open_params* params, es_store** out, es_error* err) {
    es_open_params p;
    es_store* store;
    es_status status = es_util_read_struct(params, &p, sizeof p, sizeof p, "es_open_params", err);
    if (status != ES_OK) return status;
    if (p.option_count > 0) {
        return es_util_fail(err, ES_INVALID_ARGUMENT,
                            "unknown option '%.*s' for the skeleton-c backend (it takes none)",
                            es_util_shown(p.options[0].key, 128), es_util_text(p.options[0].key));
    }
    store = calloc(1, sizeof *store);
    if (store == NULL) return es_util_fail(err, ES_RESOURCE_EXHAUSTED, "no memory for a store");
    if (p.host != NULL) {
        status = es_util_read_struct(p.host, &store->host, sizeof store->host, sizeof store->host,
                                     "es_host_callbacks", err);
        if (status != ES_OK) {
            free(store);
            return status;
        }
    }
    store->limits = es_util_effective_limits(p.limits);
    atomic_init(&store->references, 1);
    pthread_mutex_init(&store->mutex, NULL);
    *out = store;
    return ES_OK;
}

static void skeleton_close(es_store* store) { store_release(store); }

/* What the store holds under each request id, for es_util_judge_retry. Under the mutex. */
static void find_ids(const es_store* store, const es_append_request* r, es_util_stored_id* found) {
    size_t i;
    for (i = 0; i < r->event_count; ++i) {
        const sk_event* event = table_find(&store->ids, r->events[i]->event_id);
        found[i].stored = event != NULL;
        if (event == NULL) continue;
        found[i].stream_id = event->view.stream_id;
        found[i].stream_version = event->view.stream_version;
        found[i].global_position = event->view.global_position;
    }
}

/* The append, under the mutex, with the batch already copied: decides, then links it all or
 * nothing. On ES_OK with *written false the request was an idempotent retry. */
static es_status append_locked(es_store* store, const es_append_request* r, sk_event** batch,
                               es_util_stored_id* found, es_append_result* result, bool* written,
                               es_error* err) {
    sk_stream* stream = table_find(&store->streams, r->stream_id);
    const uint64_t current = stream == NULL ? 0 : stream->events.count;
    bool retry = false;
    int64_t recorded_at = now_us();
    size_t i;
    es_status status;
    *written = false;
    /* Another owner's stream: refused before anything that would tell more about it. */
    if (stream != NULL &&
        es_util_owned_by_another(r->owner_tenant, stream->events.items[0]->view.tenant_id)) {
        return es_util_not_the_owner(r->stream_id, err);
    }
    /* An idempotent retry returns what the first call returned and writes nothing. */
    find_ids(store, r, found);
    status = es_util_judge_retry(r, found, &retry, result, err);
    if (status != ES_OK || retry) return status;
    if (!es_util_expected_matches(r, current)) {
        return es_util_wrong_expected_version(r, current, result, err);
    }
    /* Every allocation before the first link: all or nothing. */
    if (!events_reserve(&store->log, r->event_count) || !table_reserve(&store->ids, r->event_count) ||
        (stream != NULL && !events_reserve(&stream->events, r->event_count))) {
        return es_util_fail(err, ES_RESOURCE_EXHAUSTED, "no memory for %zu more events",
                            r->event_count);
    }
    if (stream == NULL) {
        stream = calloc(1, sizeof *stream);
        if (stream == NULL || !events_reserve(&stream->events, r->event_count) ||
            !table_reserve(&store->streams, 1)) {
            if (stream != NULL) free(stream->events.items);
            free(stream);
            return es_util_fail(err, ES_RESOURCE_EXHAUSTED, "no memory for a new stream");
        }
        table_add(&store->streams, batch[0]->view.stream_id, stream);
    }
    if (recorded_at < store->last_recorded_at_us) recorded_at = store->last_recorded_at_us;
    store->last_recorded_at_us = recorded_at;
    for (i = 0; i < r->event_count; ++i) {
        sk_event* event = batch[i];
        event->view.stream_version = current + i + 1;
        event->view.global_position = store->log.count + 1;
        event->view.recorded_at_us = recorded_at;
        stream->events.items[stream->events.count++] = event;
        store->log.items[store->log.count++] = event;
        table_add(&store->ids, event->view.event_id, event);
    }
    result->current_version = stream->events.count;
    result->first_global_position = store->log.count - r->event_count + 1;
    result->last_global_position = store->log.count;
    *written = true;
    return ES_OK;
}

static es_status skeleton_append(es_store* store, const es_append_request* request,
                                 es_append_result* result, es_error* err) {
    es_util_append append;
    es_append_result out;
    sk_event** batch = NULL;
    es_util_stored_id* found = NULL;
    bool written = false;
    size_t i;
    size_t copied = 0;
    es_status status =
        es_util_read_append(request, SKELETON_ABI_MINOR, &store->limits, &append, err);
    const es_append_request* r = &append.request;
    memset(&out, 0, sizeof out);
    out.struct_size = sizeof out;
    if (status == ES_OK && result == NULL) {
        status = es_util_fail(err, ES_INVALID_ARGUMENT, "es_append_result is NULL");
    }
    if (status == ES_OK) {
        /* The copies are made before the lock, so that the lock covers decisions only. */
        batch = calloc(r->event_count, sizeof *batch);
        found = calloc(r->event_count, sizeof *found);
        if (batch == NULL || found == NULL) {
            status = es_util_fail(err, ES_RESOURCE_EXHAUSTED, "no memory for an append");
        }
        for (; status == ES_OK && copied < r->event_count; ++copied) {
            batch[copied] = copy_event(r->events[copied], r->stream_id);
            if (batch[copied] == NULL) {
                status = es_util_fail(err, ES_RESOURCE_EXHAUSTED, "no memory for an event");
            }
        }
    }
    if (status == ES_OK) {
        pthread_mutex_lock(&store->mutex);
        status = append_locked(store, r, batch, found, &out, &written, err);
        pthread_mutex_unlock(&store->mutex);
    }
    if (status == ES_OK || status == ES_FAILED_PRECONDITION) {
        es_util_write_struct(result, &out, sizeof out);
    }
    /* After the lock: the host may read right away. */
    if (written && store->host.notify_committed != NULL) {
        store->host.notify_committed(store->host.host_context, out.last_global_position);
    }
    for (i = 0; !written && i < copied; ++i) free(batch[i]);
    free(batch);
    free(found);
    es_util_append_free(&append);
    return status;
}

/* ---------------------------------------------------------------------------------------------
 * Reads: a page of event pointers picked under the mutex, handed out one by one
 * ------------------------------------------------------------------------------------------- */

struct es_iterator {
    es_store* store; /* a reference: the events live as long as the store */
    sk_event** picked;
    size_t count;
    size_t next;
    es_page_info page;
};

static void skeleton_iterator_destroy(es_iterator* it);

static es_status open_iterator(es_store* store, size_t capacity, es_iterator** out,
                               es_error* err) {
    es_iterator* it = calloc(1, sizeof *it);
    if (it != NULL && capacity > 0) it->picked = malloc(capacity * sizeof *it->picked);
    if (it == NULL || (capacity > 0 && it->picked == NULL)) {
        free(it);
        return es_util_fail(err, ES_RESOURCE_EXHAUSTED, "no memory for a read");
    }
    it->store = store;
    it->page.struct_size = sizeof it->page;
    atomic_fetch_add(&store->references, 1);
    *out = it;
    return ES_OK;
}

static es_status skeleton_read_stream(es_store* store, const es_read_stream_request* request,
                                      es_iterator** out, es_error* err) {
    es_read_stream_request r;
    const sk_stream* stream;
    es_iterator* it;
    uint64_t current;
    es_status status =
        es_util_read_struct(request, &r, sizeof r, es_util_read_stream_request_size(SKELETON_ABI_MINOR),
                            "es_read_stream_request", err);
    if (status != ES_OK) return status;
    status = es_util_validate_stream_id(r.stream_id, &store->limits, "stream_id", err);
    if (status != ES_OK) return status;
    r.max_count = es_util_page_size(r.max_count, &store->limits);
    status = open_iterator(store, r.max_count, &it, err);
    if (status != ES_OK) return status;
    pthread_mutex_lock(&store->mutex);
    stream = table_find(&store->streams, r.stream_id);
    /* Another owner's stream reads exactly as a missing one. */
    if (stream == NULL ||
        es_util_owned_by_another(r.owner_tenant, stream->events.items[0]->view.tenant_id)) {
        pthread_mutex_unlock(&store->mutex);
        skeleton_iterator_destroy(it);
        return es_util_stream_not_found(r.stream_id, err);
    }
    current = stream->events.count;
    if (r.forward) {
        const uint64_t first = r.from_version == 0 ? 1 : r.from_version; /* versions are 1-based */
        uint64_t v;
        for (v = first; v <= current && it->count < r.max_count; ++v) {
            it->picked[it->count++] = stream->events.items[v - 1];
        }
        it->page.next_from_version = first + it->count;
        it->page.end_of_stream = first + it->count > current;
    } else {
        const uint64_t last = r.from_version == 0 || r.from_version > current ? current : r.from_version;
        uint64_t v;
        for (v = last; v >= 1 && it->count < r.max_count; --v) {
            it->picked[it->count++] = stream->events.items[v - 1];
        }
        it->page.next_from_version = last - it->count; /* 0 once version 1 was returned */
        it->page.end_of_stream = it->page.next_from_version == 0;
    }
    pthread_mutex_unlock(&store->mutex);
    *out = it;
    return ES_OK;
}

static bool has_prefix(es_bytes text, es_bytes prefix) {
    return text.len >= prefix.len && (prefix.len == 0 || memcmp(text.ptr, prefix.ptr, prefix.len) == 0);
}

static es_status skeleton_read_all(es_store* store, const es_read_all_request* request,
                                   es_iterator** out, es_error* err) {
    es_read_all_request r;
    es_iterator* it;
    uint64_t position;
    uint64_t head;
    uint64_t max_scan;
    es_status status =
        es_util_read_struct(request, &r, sizeof r, es_util_read_all_request_size(SKELETON_ABI_MINOR),
                            "es_read_all_request", err);
    if (status != ES_OK) return status;
    r.max_count = es_util_page_size(r.max_count, &store->limits);
    max_scan = r.max_scan != 0 ? r.max_scan : SKELETON_MAX_SCAN;
    status = open_iterator(store, r.max_count, &it, err);
    if (status != ES_OK) return status;
    pthread_mutex_lock(&store->mutex);
    head = store->log.count;
    /* Positions are dense here: position p is log.items[p - 1]. */
    for (position = r.after_position;
         position < head && position - r.after_position < max_scan && it->count < r.max_count;) {
        sk_event* event = store->log.items[position++];
        if (has_prefix(event->view.stream_id, r.stream_prefix)) it->picked[it->count++] = event;
    }
    pthread_mutex_unlock(&store->mutex);
    it->page.last_scanned_position = position > r.after_position ? position : r.after_position;
    it->page.reached_head = position >= head;
    *out = it;
    return ES_OK;
}

static es_status skeleton_next(es_iterator* it, es_recorded_event* event, bool* has_event,
                               es_error* err) {
    if (event == NULL || has_event == NULL) {
        return es_util_fail(err, ES_INVALID_ARGUMENT, "iterator_next needs an event and has_event");
    }
    *has_event = it->next < it->count;
    if (*has_event) es_util_write_struct(event, &it->picked[it->next++]->view, sizeof(es_recorded_event));
    return ES_OK;
}

static es_status skeleton_page(es_iterator* it, es_page_info* page, es_error* err) {
    if (page == NULL) return es_util_fail(err, ES_INVALID_ARGUMENT, "es_page_info is NULL");
    es_util_write_struct(page, &it->page, sizeof it->page);
    return ES_OK;
}

static void skeleton_iterator_destroy(es_iterator* it) {
    es_store* store = it->store;
    free(it->picked);
    free(it);
    store_release(store);
}

/* ---------------------------------------------------------------------------------------------
 * The tables, one per minor this plugin can answer, and the entry
 * ------------------------------------------------------------------------------------------- */

#define SKELETON_TABLE(minor)                                                                    \
    {                                                                                            \
        .struct_size = ES_UTIL_API_SIZE(minor), .abi_major = ES_PLUGIN_ABI_MAJOR,                \
        .abi_minor = (minor), .name = "skeleton-c", .version = "0.1.0",                          \
        .capabilities = ES_CAP_COMMIT_NOTIFICATIONS, .store_open = skeleton_open,               \
        .store_close = skeleton_close, .append = skeleton_append,                               \
        .read_stream = skeleton_read_stream, .read_all = skeleton_read_all,                     \
        .iterator_next = skeleton_next, .iterator_page = skeleton_page,                         \
        .iterator_destroy = skeleton_iterator_destroy,                                          \
        .store_health = NULL /* 1.1, optional: "ready while open" */                             \
    }

/* Indexed by minor. */
static const es_plugin_api skeleton_tables[] = {SKELETON_TABLE(0), SKELETON_TABLE(1),
                                                SKELETON_TABLE(2), SKELETON_TABLE(3)};
_Static_assert(sizeof skeleton_tables / sizeof skeleton_tables[0] == SKELETON_ABI_MINOR + 1,
               "one table per minor up to SKELETON_ABI_MINOR");

ES_PLUGIN_EXPORT es_status eventstore_plugin_entry(const es_host_offer* offer,
                                                   const es_plugin_api** api, es_error* err);

/* Sets *api even for an offer of another major, so that the host can name both versions. */
ES_PLUGIN_EXPORT es_status eventstore_plugin_entry(const es_host_offer* offer,
                                                   const es_plugin_api** api, es_error* err) {
    (void)err;
    *api = &skeleton_tables[es_util_answer_minor(offer, SKELETON_ABI_MINOR)];
    return ES_OK;
}
