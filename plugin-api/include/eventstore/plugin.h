/*
 * eventstore/plugin.h: the stable C ABI between eventstored (the host) and a storage backend
 * (a plugin). This header is the only thing a backend needs. It compiles as C11 and C++17 and
 * depends on nothing but <stdint.h>, <stddef.h> and <stdbool.h>.
 *
 * Rules that hold for every item below (docs/plugin-abi.md tells the why):
 *
 * VERSIONS   A plugin exports ONE symbol, eventstore_plugin_entry. The host offers an ABI major
 *            and the range of minors it knows; the plugin answers with its table, which names the
 *            major and minor it implements. Another major is refused. Minors only add: fields at
 *            the end of structs, functions at the end of tables.
 * GROWTH     Every struct that may grow starts with `uint32_t struct_size`, set by whoever fills
 *            the struct to sizeof(the struct as it knew it). A reader meeting a smaller struct
 *            treats the missing fields as zero ("old behaviour"); a reader meeting a larger struct
 *            whose unknown bytes are not all zero refuses it. Signatures never change: a new
 *            behaviour gets a new function (`_v2`) at the end of a table.
 * MEMORY     Whoever allocates frees. Bytes cross as es_bytes {ptr, len}: binary-safe, no NUL
 *            terminator assumed, valid only for the duration of the call that hands them over
 *            unless the item says otherwise. Every object a plugin creates has a destroy function.
 * ERRORS     Functions return an es_status (numbers equal gRPC codes). On failure they write a
 *            human-readable, NUL-terminated message into the caller's es_error.
 * THREADS    Named per function. In short: one es_store is used by many host threads at once;
 *            one es_iterator is used by one thread at a time. Entry and open run at start-up.
 * NO C++     Nothing but C crosses: no exceptions, no C++ types. A plugin must catch everything.
 */
#ifndef EVENTSTORE_PLUGIN_H
#define EVENTSTORE_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions
 * ------------------------------------------------------------------------------------------- */

/* The ABI this header describes. A plugin built against it reports these numbers. */
#define ES_PLUGIN_ABI_MAJOR 1
#define ES_PLUGIN_ABI_MINOR 5

/* The one symbol a plugin exports (see es_plugin_entry_fn). */
#define ES_PLUGIN_ENTRY_SYMBOL "eventstore_plugin_entry"

#if defined(_WIN32)
#define ES_PLUGIN_EXPORT __declspec(dllexport)
#else
#define ES_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* ---------------------------------------------------------------------------------------------
 * Status codes: append-only; the numbers are gRPC's status codes and never change.
 * ------------------------------------------------------------------------------------------- */
typedef int32_t es_status;
enum {
    ES_OK = 0,
    ES_CANCELLED = 1,
    ES_INVALID_ARGUMENT = 3,   /* malformed request; the message names the field */
    ES_DEADLINE_EXCEEDED = 4,  /* the call's timeout_us passed (see "Deadlines") */
    ES_NOT_FOUND = 5,          /* read of a stream that does not exist */
    ES_ALREADY_EXISTS = 6,     /* event_id reused outside an idempotent retry */
    ES_PERMISSION_DENIED = 7,  /* append into a stream of another owner (see "Stream owners") */
    ES_RESOURCE_EXHAUSTED = 8, /* a size or count limit; the message names it */
    ES_FAILED_PRECONDITION = 9,/* wrong expected version (es_append_result.actual_version), or
                                  a tombstoned stream (see "Stream lifecycle") */
    ES_UNIMPLEMENTED = 12,     /* the backend lacks the operation */
    ES_INTERNAL = 13,          /* a bug in the plugin */
    ES_UNAVAILABLE = 14        /* storage cannot be reached now; safe to retry */
};

/* Capacity of es_error.message, the terminating NUL included. */
#define ES_ERROR_MESSAGE_CAPACITY 1024

/* Owned by the caller (host). A plugin that fails writes a NUL-terminated message, truncated to
 * fit. struct_size is set by the host; the plugin never writes past it. */
typedef struct es_error {
    uint32_t struct_size;
    char message[ES_ERROR_MESSAGE_CAPACITY];
} es_error;

/* A borrowed run of bytes (text is UTF-8). ptr may be NULL when len is 0. Never grows. */
typedef struct es_bytes {
    const uint8_t* ptr;
    size_t len;
} es_bytes;

/* One header of an event, or one option: a borrowed key/value pair. Never grows. */
typedef struct es_key_value {
    es_bytes key;
    es_bytes value;
} es_key_value;

/* ---------------------------------------------------------------------------------------------
 * Opaque handles, one type per kind. Created and destroyed by the plugin only.
 * ------------------------------------------------------------------------------------------- */
typedef struct es_store es_store;       /* an open store; thread-safe */
typedef struct es_iterator es_iterator; /* a read in progress; one thread at a time */

/* ---------------------------------------------------------------------------------------------
 * What the host gives a store: callbacks into the host.
 * ------------------------------------------------------------------------------------------- */
typedef enum es_log_level {
    ES_LOG_TRACE = 0,
    ES_LOG_DEBUG = 1,
    ES_LOG_INFO = 2,
    ES_LOG_WARN = 3,
    ES_LOG_ERROR = 4
} es_log_level;

/* Owned by the host, valid until store_close of the store it was given to returns; never call them
 * after that, not even from an iterator that is still open. Both functions may be called from any
 * thread, also during store_open, and return quickly without calling back into the plugin. */
typedef struct es_host_callbacks {
    uint32_t struct_size;
    void* host_context; /* pass back as the first argument */
    /* Writes one line into the server's log (the message need not be NUL-terminated). */
    void (*log)(void* host_context, int32_t level, es_bytes message);
    /* "Every event at a position <= `position` is committed and a read_all can return it."
     * Raise it after each append commits (several appends may share one call), including commits
     * made by other processes when the storage can tell. Never announce a position before every
     * lower position is committed or abandoned: subscriptions rely on it. Concurrent appends may
     * deliver their notifications out of order; the host keeps the highest value it has seen. */
    void (*notify_committed)(void* host_context, uint64_t position);
} es_host_callbacks;

/* Limits the host enforces; a plugin applies the same ones to requests that bypass the host
 * (the conformance suite). Zero in any field means the documented default. */
typedef struct es_limits {
    uint32_t struct_size;
    uint32_t max_stream_id_bytes;   /* default 256 */
    uint32_t max_append_events;     /* default 10000 */
    uint64_t max_append_bytes;      /* default 4 MiB: payloads + metadata of one append */
    uint32_t default_page_size;     /* default 100 */
    uint32_t max_page_size;         /* default 1000 */
} es_limits;

/* What store_open receives; owned by the host, valid for the duration of store_open only (copy
 * what you keep), except `host`, which lives as long as the store. */
typedef struct es_open_params {
    uint32_t struct_size;
    /* The YAML text of the backend's `options` subtree, for plugins that parse YAML themselves. */
    es_bytes options_yaml;
    /* The same options flattened to key/value pairs: nested keys joined with '.', sequence items
     * numbered ("hosts.0"). Values are scalar text. The plugin refuses keys it does not know. */
    const es_key_value* options;
    size_t option_count;
    const es_host_callbacks* host;
    const es_limits* limits;
} es_open_params;

/* ---------------------------------------------------------------------------------------------
 * Deadlines (ABI 1.2). The requests of append, read_stream and read_all end with `timeout_us`:
 * how long the caller will wait for this call, in microseconds counted from when the host makes
 * it; 0 means no limit (what every request of ABI 1.0 and 1.1 means). The host sets it on every
 * call to a plugin of minor 2 or later: the client's gRPC deadline or the server's
 * backend.timeout_ms, whichever ends first, and never calls once it has passed. A plugin that can
 * block (a network, a lock, a pool) stops waiting once it has passed and returns
 * ES_DEADLINE_EXCEEDED; an append that returns ES_DEADLINE_EXCEEDED has written nothing. A plugin
 * whose calls never block may ignore it. iterator_next has no timeout: the open call fetches what
 * a page needs, so next only blocks for what open already bounded.
 * ------------------------------------------------------------------------------------------- */

/* ---------------------------------------------------------------------------------------------
 * Stream owners (ABI 1.3). A stream belongs, for good, to the tenant_id of its first event
 * (version 1); an empty tenant_id is an owner too ("no tenant"). The requests of append and
 * read_stream end with `owner_tenant`: the tenant of the caller, which the plugin enforces
 * atomically with the call when it is not empty (len > 0):
 *   append       the stream has events and its version-1 event's tenant_id is not owner_tenant:
 *                return ES_PERMISSION_DENIED and write nothing, before any check that would tell
 *                more about the stream (expected version, event ids: never actual_version). Two
 *                appends of different owners racing to create a stream: at most one succeeds.
 *   read_stream  the same condition: return ES_NOT_FOUND, exactly as for a stream with no events.
 * An empty owner_tenant, and every request of ABI 1.0 to 1.2, means no check. The host sets it
 * only for a plugin of minor 3 or later (for older ones it checks on its own, at the cost of a
 * read per call: docs/plugin-abi.md).
 * ------------------------------------------------------------------------------------------- */

/* ---------------------------------------------------------------------------------------------
 * Append
 * ------------------------------------------------------------------------------------------- */
typedef enum es_expected_kind {
    ES_EXPECT_ANY = 0,
    ES_EXPECT_NO_STREAM = 1,     /* current version must be 0 */
    ES_EXPECT_STREAM_EXISTS = 2, /* current version must be >= 1 */
    ES_EXPECT_EXACT = 3          /* current version must be `expected_version`; 0 = no stream */
} es_expected_kind;

/* One event to append; borrowed for the duration of the append call. */
typedef struct es_event_data {
    uint32_t struct_size;
    es_bytes event_id; /* canonical UUID text, 36 bytes; the host fills it when the client did not */
    es_bytes type_name;
    es_bytes content_type;
    es_bytes tenant_id;
    es_bytes correlation_id;
    es_bytes causation_id;
    const es_key_value* headers;
    size_t header_count;
    es_bytes payload;
} es_event_data;

typedef struct es_append_request {
    uint32_t struct_size;
    uint32_t expected_kind; /* es_expected_kind */
    uint64_t expected_version;
    es_bytes stream_id;
    /* An array of pointers, so that es_event_data can grow without changing the stride. */
    const es_event_data* const* events;
    size_t event_count;
    /* --- ABI 1.2 --- */
    uint64_t timeout_us; /* see "Deadlines" above */
    /* --- ABI 1.3 --- */
    es_bytes owner_tenant; /* see "Stream owners" above */
} es_append_request;

/* Filled by the plugin. struct_size is set by the host. */
typedef struct es_append_result {
    uint32_t struct_size;
    uint64_t current_version;       /* stream version after the append (idempotent retry: the
                                        version of the retried batch's last event) */
    uint64_t first_global_position;
    uint64_t last_global_position;
    uint64_t actual_version;        /* on ES_FAILED_PRECONDITION: the stream's current version */
    /* --- ABI 1.5 --- */
    bool tombstoned;                /* on ES_FAILED_PRECONDITION: the stream is tombstoned, so no
                                        append can ever succeed (see "Stream lifecycle") */
} es_append_result;

/* ---------------------------------------------------------------------------------------------
 * Asynchronous append (ABI 1.4). append_async takes an append and returns at once; the plugin
 * decides it later, typically from a thread of its own that commits many appends together, and
 * then calls `done` with the status the blocking append would have returned:
 *   - done is called EXACTLY ONCE per append_async, from any thread, possibly before append_async
 *     returns. Call it without holding a lock that another call of this store may need: the host
 *     answers the client from inside it (it never calls back into the plugin from there).
 *   - The request, everything it points at, `result` and `err` stay valid, and are the plugin's to
 *     read and write, until done is called; after done the plugin must not touch them.
 *   - result and err are written as append writes them (result on ES_OK, actual_version on
 *     ES_FAILED_PRECONDITION, err on any failure), before done is called.
 *   - Deadlines hold as for append: done comes by the request's timeout_us at the latest.
 *   - store_close calls done for every append still pending (ES_UNAVAILABLE: nothing of it may
 *     be written afterwards) before it returns.
 * append_async must not block: a plugin that can only decide an append by waiting leaves it NULL,
 * and the host then calls append on threads of its own. The host survives a plugin that breaks
 * these rules, as far as it can: done_context is a number, not an address, so a second done, or a
 * done for an unknown append, is logged and ignored; an append with no done by its deadline (plus
 * a second of grace) is answered ES_INTERNAL "outcome unknown" while the host keeps its memory
 * until done or store_close.
 * ------------------------------------------------------------------------------------------- */
typedef void (*es_append_done_fn)(void* done_context, es_status status);

/* ---------------------------------------------------------------------------------------------
 * Stream lifecycle (ABI 1.5, optional: ES_CAP_STREAM_LIFECYCLE). Events of a stream can be
 * removed: deleted, tombstoned, truncated, or expired by the stream's retention. Beside its events
 * every stream has a state (es_stream_state):
 *   last_version     the highest version ever appended, 0 for none. It never goes back: a removed
 *                    event's version is never given again, and every expected version (append and
 *                    delete) compares with last_version, removed events or not.
 *   truncate_before  events with a lower version are removed; 1 (or 0, for a stream never
 *                    changed) removes none. It never goes back. DELETE sets it to
 *                    last_version + 1; TRUNCATE raises it to before_version, at most last_version + 1.
 *   tombstoned       deleted for good: every later append, DELETE, TOMBSTONE, TRUNCATE and
 *                    SET_RETENTION answers ES_FAILED_PRECONDITION with tombstoned set, and its
 *                    events are removed as by DELETE.
 *   max_count        retention: only the last max_count versions (> last_version - max_count)
 *                    are kept; 0 = no limit.
 *   max_age_us       retention: only events recorded less than max_age_us ago (recorded_at_us >=
 *                    now - max_age_us, by the clock that sets recorded_at_us) are kept; 0 = none.
 * READABLE   An event is readable while none of the rules above removes it. read_stream and
 *            read_all return readable events only, from the moment the call that removed them
 *            returns, or the moment an event passes a retention limit. A stream with no readable
 *            event reads ES_NOT_FOUND, tombstoned or not (stream_state tells which). read_all
 *            passes over removed positions: last_scanned_position covers them, no other position
 *            moves, and the visibility rule (read_all) holds as before.
 * ERASURE    The bytes of a removed event (payload, metadata, headers) leave the plugin's storage:
 *            delete, tombstone and truncate remove them before the call returns; retention within
 *            a bound the plugin documents. What stays elsewhere (a write-ahead log, free pages)
 *            and the maintenance step that clears it are documented per plugin.
 * EVENT IDS  A removed event's event_id is free again: an append that reuses it is a new append,
 *            not an idempotent retry (a retry of a deleted append with ES_EXPECT_ANY appends
 *            anew; with an exact expected version it meets last_version).
 * OWNERS     The owner of a stream (see "Stream owners") outlives its events. change_stream with
 *            owner_tenant set refuses a stream of another owner with ES_PERMISSION_DENIED, before
 *            any other check; stream_state answers ES_NOT_FOUND for it.
 * Both functions take timeout_us as the other calls do ("Deadlines"), are thread-safe, and are
 * atomic with appends to the same stream: an append either lands before a DELETE (and is removed
 * by it) or after (and continues the versions).
 * ------------------------------------------------------------------------------------------- */
typedef enum es_stream_change_kind {
    /* Removes every event (truncate_before = last_version + 1) after checking expected_kind and
     * expected_version as append does. A stream with no event ever (last_version 0): ES_NOT_FOUND,
     * unless the expected version fails first. Deleting a deleted stream changes nothing. */
    ES_CHANGE_DELETE = 1,
    /* As DELETE, then marks the stream tombstoned. A stream with no event ever may be tombstoned
     * (its name is then never usable). */
    ES_CHANGE_TOMBSTONE = 2,
    /* Raises truncate_before to before_version, capped at last_version + 1; a lower or equal
     * before_version changes nothing. No expected version. A stream with no event ever:
     * ES_NOT_FOUND. */
    ES_CHANGE_TRUNCATE = 3,
    /* Sets max_count and max_age_us (both replace the old values; 0 = no limit). Allowed on a
     * stream with no event yet, which then starts with that retention. */
    ES_CHANGE_SET_RETENTION = 4
} es_stream_change_kind;

typedef struct es_stream_change_request {
    uint32_t struct_size;
    uint32_t kind;             /* es_stream_change_kind; another value: ES_INVALID_ARGUMENT */
    es_bytes stream_id;
    uint32_t expected_kind;    /* DELETE and TOMBSTONE: es_expected_kind */
    uint64_t expected_version; /* DELETE and TOMBSTONE, with ES_EXPECT_EXACT */
    uint64_t before_version;   /* TRUNCATE */
    uint64_t max_count;        /* SET_RETENTION */
    uint64_t max_age_us;       /* SET_RETENTION */
    uint64_t timeout_us;       /* see "Deadlines" */
    es_bytes owner_tenant;     /* see "Stream owners" and OWNERS above */
} es_stream_change_request;

typedef struct es_stream_state_request {
    uint32_t struct_size;
    es_bytes stream_id;
    uint64_t timeout_us;   /* see "Deadlines" */
    es_bytes owner_tenant; /* see "Stream owners" */
} es_stream_state_request;

/* Filled by the plugin; struct_size is set by the host. */
typedef struct es_stream_state {
    uint32_t struct_size;
    uint64_t last_version;
    uint64_t truncate_before;
    bool tombstoned;
    uint64_t max_count;
    uint64_t max_age_us;
} es_stream_state;

/* ---------------------------------------------------------------------------------------------
 * Reads: pull iterators. A read opens an iterator; the host calls iterator_next until it says
 * there are no more events, then iterator_page (the paging summary), then iterator_destroy. The
 * host may also destroy an iterator at any point before its end (a response grew too large, a
 * subscriber went away), without calling iterator_page.
 * ------------------------------------------------------------------------------------------- */
typedef struct es_read_stream_request {
    uint32_t struct_size;
    bool forward;
    es_bytes stream_id;
    uint64_t from_version; /* forward: >= from (0 = from 1); backward: <= from (0 = from the last) */
    uint32_t max_count;    /* 1..limits.max_page_size; the host has already clamped it */
    /* --- ABI 1.2 --- */
    uint64_t timeout_us;   /* see "Deadlines" above */
    /* --- ABI 1.3 --- */
    es_bytes owner_tenant; /* see "Stream owners" above */
} es_read_stream_request;

typedef struct es_read_all_request {
    uint32_t struct_size;
    uint64_t after_position; /* events with global_position > after_position */
    uint32_t max_count;      /* 1..limits.max_page_size */
    es_bytes stream_prefix;  /* empty: every stream */
    /* Stop after scanning this many positions even when fewer than max_count matched, so a
     * filtered read returns promptly; 0 = the plugin's choice. */
    uint64_t max_scan;
    /* --- ABI 1.2 --- */
    uint64_t timeout_us; /* see "Deadlines" above */
} es_read_all_request;

/* One event, filled by iterator_next. Every es_bytes and the headers array point into memory the
 * iterator owns, valid until the next iterator_next or iterator_destroy on that iterator. */
typedef struct es_recorded_event {
    uint32_t struct_size;
    es_bytes stream_id;
    uint64_t stream_version;
    uint64_t global_position;
    int64_t recorded_at_us; /* microseconds since 1970-01-01 UTC, set by the backend */
    es_bytes event_id;
    es_bytes type_name;
    es_bytes content_type;
    es_bytes tenant_id;
    es_bytes correlation_id;
    es_bytes causation_id;
    const es_key_value* headers;
    size_t header_count;
    es_bytes payload;
} es_recorded_event;

/* Filled by iterator_page once iterator_next has reported the end. */
typedef struct es_page_info {
    uint32_t struct_size;
    /* read_stream: the from_version for the next page, and whether the stream's end (forward) or
     * start (backward) was reached. */
    uint64_t next_from_version; /* backward, at version 1: 0 with end_of_stream (do not pass
                                   0 back: backward from 0 means "from the last") */
    bool end_of_stream;
    /* read_all: every position <= last_scanned_position was looked at (pass it as
     * after_position next time), and whether that is the visible head. */
    uint64_t last_scanned_position;
    bool reached_head;
} es_page_info;

/* ---------------------------------------------------------------------------------------------
 * The plugin's table
 * ------------------------------------------------------------------------------------------- */
enum {
    /* The plugin raises notify_committed for every commit: the host pushes live events without
     * polling. Without it the host polls read_all. */
    ES_CAP_COMMIT_NOTIFICATIONS = 1u << 0,
    /* Acknowledged appends survive a crash of the server process. */
    ES_CAP_DURABLE = 1u << 1,
    /* The table has change_stream and stream_state (ABI 1.5, "Stream lifecycle"). Set exactly
     * when both are non-NULL: the host refuses a table where the two disagree. */
    ES_CAP_STREAM_LIFECYCLE = 1u << 2
};

/* Static, owned by the plugin, valid until the library is unloaded. The first five fields are
 * frozen across every major version, so a host can always name what it refuses. */
typedef struct es_plugin_api {
    /* --- frozen prefix --- */
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    const char* name;    /* NUL-terminated, non-empty: the backend's short name, e.g. "memory" */
    const char* version; /* NUL-terminated: the backend's own version, e.g. "1.2.0" */
    /* --- ABI 1.0 --- */
    uint64_t capabilities; /* ES_CAP_* bits */

    /* Opens a store. Called once per store, on one thread. On success *out is a handle that
     * stays valid until store_close. On failure returns a status and writes err. */
    es_status (*store_open)(const es_open_params* params, es_store** out, es_error* err);

    /* Closes a store. Called once, after the host has stopped calling store functions; iterators
     * still open stay valid until destroyed (their next may then fail with ES_UNAVAILABLE). */
    void (*store_close)(es_store* store);

    /* Appends atomically (docs/contract.md "Append"). Thread-safe. `result` is always written on
     * ES_OK; on ES_FAILED_PRECONDITION result->actual_version is. */
    es_status (*append)(es_store* store, const es_append_request* request,
                        es_append_result* result, es_error* err);

    /* Opens a read of one stream. Thread-safe. A stream with no events: ES_NOT_FOUND. */
    es_status (*read_stream)(es_store* store, const es_read_stream_request* request,
                             es_iterator** out, es_error* err);

    /* Opens a read of every stream in position order, returning only positions that can never be
     * preceded by a later-committed lower position (the visibility rule). Thread-safe. */
    es_status (*read_all)(es_store* store, const es_read_all_request* request,
                          es_iterator** out, es_error* err);

    /* Fills *event with the next event and sets *has_event true, or sets it false at the end.
     * The host sets event->struct_size. One thread at a time per iterator. */
    es_status (*iterator_next)(es_iterator* iterator, es_recorded_event* event, bool* has_event,
                               es_error* err);

    /* Writes the paging summary; valid once iterator_next has reported the end. */
    es_status (*iterator_page)(es_iterator* iterator, es_page_info* page, es_error* err);

    /* Frees an iterator. Any thread, once. */
    void (*iterator_destroy)(es_iterator* iterator);

    /* --- ABI 1.1 --- */
    /* Says whether the store can serve now: ES_OK, or ES_UNAVAILABLE (or another status) with a
     * message naming what is wrong, e.g. "cannot reach PostgreSQL at db:5432". Thread-safe; must
     * answer within about a second (the host calls it for readiness probes). Optional: a NULL
     * function, and every 1.0 table (which ends before it), mean "ready while open". */
    es_status (*store_health)(es_store* store, es_error* err);

    /* --- ABI 1.4 --- */
    /* Appends like `append`, deciding later: see "Asynchronous append" above. Thread-safe.
     * Optional: NULL, and every table before 1.4 (which ends before it), mean the host calls
     * append on threads of its own. */
    void (*append_async)(es_store* store, const es_append_request* request,
                         es_append_result* result, es_error* err, es_append_done_fn done,
                         void* done_context);

    /* --- ABI 1.5 --- */
    /* Deletes, tombstones, truncates a stream or sets its retention (es_stream_change_kind), see
     * "Stream lifecycle" above, and writes the stream's state after the change into `state`. On
     * ES_FAILED_PRECONDITION `state` is the stream's state that refused it (last_version for a
     * wrong expected version, tombstoned). Thread-safe. Optional with stream_state: see
     * ES_CAP_STREAM_LIFECYCLE; NULL, and every table before 1.5, mean the host answers
     * UNIMPLEMENTED. */
    es_status (*change_stream)(es_store* store, const es_stream_change_request* request,
                               es_stream_state* state, es_error* err);

    /* Writes a stream's state. A stream with no event ever, not tombstoned and with no retention
     * set: ES_NOT_FOUND. Thread-safe. Optional with change_stream. */
    es_status (*stream_state)(es_store* store, const es_stream_state_request* request,
                              es_stream_state* state, es_error* err);
} es_plugin_api;

/* The size of an es_plugin_api table as ABI 1.0 knew it: what a plugin answering minor 0 sets as
 * struct_size (a plugin built against this header can still load into a host of ABI 1.0 by
 * answering the minor the host offers, see es_host_offer). */
#define ES_PLUGIN_API_SIZE_1_0 offsetof(es_plugin_api, store_health)

/* The size of the table of ABI 1.1 to 1.3 (1.2 and 1.3 added request fields only). */
#define ES_PLUGIN_API_SIZE_1_1 offsetof(es_plugin_api, append_async)

/* The size of the table of ABI 1.4. */
#define ES_PLUGIN_API_SIZE_1_4 offsetof(es_plugin_api, change_stream)

/* What the host offers at load time; owned by the host, valid during the entry call. */
typedef struct es_host_offer {
    uint32_t struct_size;
    uint32_t abi_major;        /* the one major the host speaks */
    uint32_t abi_min_minor;    /* the minors it knows: [min, max] */
    uint32_t abi_max_minor;
    const char* host_version;  /* NUL-terminated, e.g. "0.1.0" */
} es_host_offer;

/* The entry point: `ES_PLUGIN_EXPORT es_status eventstore_plugin_entry(...)`. Called once per load
 * on one thread. Sets *api to the plugin's static table, even when the plugin cannot speak the
 * offered major, so that the host can name both versions. A plugin may answer with the newest
 * minor both sides know, min(its own, offer->abi_max_minor), its table sized for that minor, so
 * that it also loads into older hosts. Returns ES_OK, or a status and err when the plugin cannot
 * initialise. */
typedef es_status (*es_plugin_entry_fn)(const es_host_offer* offer, const es_plugin_api** api,
                                        es_error* err);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EVENTSTORE_PLUGIN_H */
