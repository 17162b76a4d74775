/*
 * connection_string.h: checks that a text is a KurrentDB connection string, the URI form that
 * KurrentDB's clients accept:
 *
 *   kurrentdb://[user:password@]host[:port][,host[:port]...][/][?key=value[&key=value...]]
 *
 * Schemes: kurrentdb, kurrentdb+discover, esdb, esdb+discover (any case). A host is a DNS name, an
 * IPv4 address or a bracketed IPv6 address; a port is 1 to 65535. Query keys are the clients'
 * settings (any case): tls, tlsVerifyCert, tlsCaFile, connectionName, maxDiscoverAttempts,
 * discoveryInterval, gossipTimeout, nodePreference, keepAliveInterval, keepAliveTimeout,
 * defaultDeadline, throwOnAppendFailure, userCertFile, userKeyFile; booleans are true/false,
 * durations and counts are integers, nodePreference is leader/follower/random/readOnlyReplica.
 *
 * Only the form is checked: nothing is resolved or contacted. The reason a text is refused never
 * repeats the user:password part.
 */
#ifndef KURRENT_CONNECTION_STRING_H
#define KURRENT_CONNECTION_STRING_H

#include <stdbool.h>

#include "eventstore/plugin.h"
#include "kurrent_message.h"

/* True when `text` is a KurrentDB connection string; otherwise false with the reason in `why`. */
bool kurrent_connection_string_check(es_bytes text, kurrent_message* why);

#endif
