/* connection_string.c: see connection_string.h. A hand-written scanner over borrowed bytes. */
#include "connection_string.h"

#include <stddef.h>
#include <string.h>

/* A borrowed slice of the connection string. */
typedef struct slice {
    const char* ptr;
    size_t len;
} slice;

static es_bytes bytes_of(slice s) {
    es_bytes b;
    b.ptr = (const uint8_t*)s.ptr;
    b.len = s.len;
    return b;
}

static slice sub(slice s, size_t from, size_t to) {
    slice out;
    out.ptr = s.ptr + from;
    out.len = to - from;
    return out;
}

/* Index of the first `c` in s at or after `from`, or s.len. */
static size_t find(slice s, size_t from, char c) {
    size_t i;
    for (i = from; i < s.len; ++i) {
        if (s.ptr[i] == c) return i;
    }
    return s.len;
}

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

static bool equals_ignoring_case(slice s, const char* word) {
    size_t i;
    if (strlen(word) != s.len) return false;
    for (i = 0; i < s.len; ++i) {
        if (lower(s.ptr[i]) != lower(word[i])) return false;
    }
    return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'z'); }

static bool all_digits(slice s) {
    size_t i;
    if (s.len == 0) return false;
    for (i = 0; i < s.len; ++i) {
        if (!is_digit(s.ptr[i])) return false;
    }
    return true;
}

static bool refuse(kurrent_message* why, const char* first, slice shown, const char* last) {
    kurrent_message_clear(why);
    kurrent_message_add(why, first);
    kurrent_message_add_bytes(why, bytes_of(shown));
    kurrent_message_add(why, last);
    return false;
}

static bool refuse_plain(kurrent_message* why, const char* reason) {
    kurrent_message_clear(why);
    kurrent_message_add(why, reason);
    return false;
}

/* ---------------------------------------------------------------------------------------------
 * Parts
 * ------------------------------------------------------------------------------------------- */

static const char* const schemes[] = {"kurrentdb", "kurrentdb+discover", "esdb", "esdb+discover"};

static bool check_scheme(slice scheme, kurrent_message* why) {
    size_t i;
    for (i = 0; i < sizeof schemes / sizeof schemes[0]; ++i) {
        if (equals_ignoring_case(scheme, schemes[i])) return true;
    }
    return refuse(why, "the scheme '", scheme,
                  "' is not one of kurrentdb, kurrentdb+discover, esdb, esdb+discover");
}

/* user:password, both non-empty; the text itself is never shown. */
static bool check_user_info(slice user_info, kurrent_message* why) {
    const size_t colon = find(user_info, 0, ':');
    if (colon == 0 || colon >= user_info.len - 1) {
        return refuse_plain(why,
                            "the credentials before '@' must be user:password, both non-empty");
    }
    return true;
}

static bool check_port(slice port, slice host, kurrent_message* why) {
    unsigned long value = 0;
    size_t i;
    if (!all_digits(port) || port.len > 5) {
        return refuse(why, "the port of host '", host, "' is not a number from 1 to 65535");
    }
    for (i = 0; i < port.len; ++i) value = value * 10 + (unsigned long)(port.ptr[i] - '0');
    if (value < 1 || value > 65535) {
        return refuse(why, "the port of host '", host, "' is not a number from 1 to 65535");
    }
    return true;
}

/* A DNS name or IPv4 address: letters, digits, '-', '.', '_'. */
static bool is_host_name(slice name) {
    size_t i;
    if (name.len == 0) return false;
    for (i = 0; i < name.len; ++i) {
        const char c = name.ptr[i];
        if (!is_alnum(c) && c != '-' && c != '.' && c != '_') return false;
    }
    return true;
}

/* Hex digits, ':' and '.' (an embedded IPv4), with at least one ':'. */
static bool is_ipv6(slice address) {
    size_t i;
    bool colon = false;
    for (i = 0; i < address.len; ++i) {
        const char c = lower(address.ptr[i]);
        if (c == ':') {
            colon = true;
        } else if (!is_digit(c) && !(c >= 'a' && c <= 'f') && c != '.') {
            return false;
        }
    }
    return colon;
}

/* host[:port] or [ipv6][:port]. */
static bool check_host(slice host, kurrent_message* why) {
    size_t name_end;
    size_t port_start;
    if (host.len == 0) return refuse_plain(why, "the host list has an empty entry");
    if (host.ptr[0] == '[') {
        const size_t close = find(host, 0, ']');
        if (close == host.len || !is_ipv6(sub(host, 1, close))) {
            return refuse(why, "the host '", host, "' is not a valid bracketed IPv6 address");
        }
        name_end = close + 1;
        if (name_end < host.len && host.ptr[name_end] != ':') {
            return refuse(why, "the host '", host, "' has text after its IPv6 address");
        }
    } else {
        name_end = find(host, 0, ':');
        if (!is_host_name(sub(host, 0, name_end))) {
            return refuse(why, "the host '", host,
                          "' is not a host name or address (letters, digits, '-', '.', '_')");
        }
    }
    if (name_end == host.len) return true;
    port_start = name_end + 1;
    return check_port(sub(host, port_start, host.len), host, why);
}

static bool check_hosts(slice hosts, kurrent_message* why) {
    size_t start = 0;
    if (hosts.len == 0) return refuse_plain(why, "it names no host");
    for (;;) {
        const size_t comma = find(hosts, start, ',');
        if (!check_host(sub(hosts, start, comma), why)) return false;
        if (comma == hosts.len) return true;
        start = comma + 1;
    }
}

/* ---------------------------------------------------------------------------------------------
 * Query settings
 * ------------------------------------------------------------------------------------------- */

typedef enum setting_kind {
    SETTING_BOOL,
    SETTING_INTEGER,
    SETTING_TEXT,
    SETTING_NODE
} setting_kind;

typedef struct setting {
    const char* key;
    setting_kind kind;
} setting;

static const setting settings[] = {
    {"tls", SETTING_BOOL},
    {"tlsVerifyCert", SETTING_BOOL},
    {"tlsCaFile", SETTING_TEXT},
    {"connectionName", SETTING_TEXT},
    {"maxDiscoverAttempts", SETTING_INTEGER},
    {"discoveryInterval", SETTING_INTEGER},
    {"gossipTimeout", SETTING_INTEGER},
    {"nodePreference", SETTING_NODE},
    {"keepAliveInterval", SETTING_INTEGER},
    {"keepAliveTimeout", SETTING_INTEGER},
    {"defaultDeadline", SETTING_INTEGER},
    {"throwOnAppendFailure", SETTING_BOOL},
    {"userCertFile", SETTING_TEXT},
    {"userKeyFile", SETTING_TEXT},
};

static bool check_value(const setting* known, slice value, kurrent_message* why) {
    switch (known->kind) {
    case SETTING_BOOL:
        if (equals_ignoring_case(value, "true") || equals_ignoring_case(value, "false")) {
            return true;
        }
        return refuse(why, "the setting ", (slice){known->key, strlen(known->key)},
                      " must be true or false");
    case SETTING_INTEGER:
        /* -1 turns keep-alives off; the clients accept it for every integer setting. */
        if (all_digits(value)) return true;
        if (value.len > 1 && value.ptr[0] == '-' && all_digits(sub(value, 1, value.len))) {
            return true;
        }
        return refuse(why, "the setting ", (slice){known->key, strlen(known->key)},
                      " must be an integer");
    case SETTING_NODE:
        if (equals_ignoring_case(value, "leader") || equals_ignoring_case(value, "follower") ||
            equals_ignoring_case(value, "random") ||
            equals_ignoring_case(value, "readOnlyReplica")) {
            return true;
        }
        return refuse_plain(why,
                            "the setting nodePreference must be leader, follower, random or "
                            "readOnlyReplica");
    case SETTING_TEXT:
        if (value.len > 0) return true;
        return refuse(why, "the setting ", (slice){known->key, strlen(known->key)},
                      " is empty");
    }
    return true;
}

static bool check_setting(slice pair, kurrent_message* why) {
    const size_t equals = find(pair, 0, '=');
    const slice key = sub(pair, 0, equals);
    size_t i;
    if (pair.len == 0) {
        return refuse_plain(why, "the query has an empty setting (two '&' in a row?)");
    }
    if (equals == pair.len || equals == 0) {
        return refuse(why, "the query setting '", pair, "' is not key=value");
    }
    for (i = 0; i < sizeof settings / sizeof settings[0]; ++i) {
        if (equals_ignoring_case(key, settings[i].key)) {
            return check_value(&settings[i], sub(pair, equals + 1, pair.len), why);
        }
    }
    return refuse(why, "the query setting '", key,
                  "' is not a KurrentDB client setting (known: tls, tlsVerifyCert, tlsCaFile, "
                  "connectionName, maxDiscoverAttempts, discoveryInterval, gossipTimeout, "
                  "nodePreference, keepAliveInterval, keepAliveTimeout, defaultDeadline, "
                  "throwOnAppendFailure, userCertFile, userKeyFile)");
}

static bool check_query(slice query, kurrent_message* why) {
    size_t start = 0;
    if (query.len == 0) return true;
    for (;;) {
        const size_t amp = find(query, start, '&');
        if (!check_setting(sub(query, start, amp), why)) return false;
        if (amp == query.len) return true;
        start = amp + 1;
    }
}

/* ---------------------------------------------------------------------------------------------
 * The whole string
 * ------------------------------------------------------------------------------------------- */

static bool check_characters(slice text, kurrent_message* why) {
    size_t i;
    for (i = 0; i < text.len; ++i) {
        const unsigned char c = (unsigned char)text.ptr[i];
        if (c <= ' ' || c == 0x7f) {
            return refuse_plain(why, "it contains a space or a control character");
        }
    }
    return true;
}

bool kurrent_connection_string_check(es_bytes bytes, kurrent_message* why) {
    const slice text = {(const char*)bytes.ptr, bytes.len};
    size_t separator;
    size_t authority_start;
    size_t authority_end;
    size_t at;
    size_t rest;
    slice authority;

    if (text.len == 0) return refuse_plain(why, "it is empty");
    if (!check_characters(text, why)) return false;

    separator = find(text, 0, ':');
    if (separator + 3 > text.len || memcmp(text.ptr + separator, "://", 3) != 0) {
        return refuse_plain(why, "it does not start with a scheme and '://' (e.g. kurrentdb://)");
    }
    if (!check_scheme(sub(text, 0, separator), why)) return false;

    /* The authority runs to the first '/' or '?'. */
    authority_start = separator + 3;
    authority_end = authority_start;
    while (authority_end < text.len && text.ptr[authority_end] != '/' &&
           text.ptr[authority_end] != '?') {
        ++authority_end;
    }
    authority = sub(text, authority_start, authority_end);

    /* Credentials end at the last '@', so a password with an unencoded '@' still parses. */
    at = authority.len;
    {
        size_t i;
        for (i = 0; i < authority.len; ++i) {
            if (authority.ptr[i] == '@') at = i;
        }
    }
    if (at != authority.len) {
        if (!check_user_info(sub(authority, 0, at), why)) return false;
        authority = sub(authority, at + 1, authority.len);
    }
    if (!check_hosts(authority, why)) return false;

    /* An optional lone '/', then an optional query. */
    rest = authority_end;
    if (rest < text.len && text.ptr[rest] == '/') ++rest;
    if (rest == text.len) return true;
    if (text.ptr[rest] != '?') {
        const slice path = sub(text, authority_end, find(text, authority_end, '?'));
        return refuse(why, "it has a path ('", path, "'); KurrentDB connection strings have none");
    }
    return check_query(sub(text, rest + 1, text.len), why);
}
