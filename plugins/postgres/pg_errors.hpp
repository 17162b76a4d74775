// pg_errors.hpp: libpqxx and libpq failures turned into the plugin's Status, at the edge.
//
//   connection lost before an append was sent, server shutting down or starting, too many
//   connections, statement timeout, serialization failure or deadlock
//                                                                 -> UNAVAILABLE (retry is safe)
//   outcome unknown (pqxx::in_doubt_error: the connection was lost during COMMIT, or while an
//   autocommit append statement ran or its answer was on the way, see rethrow_as_in_doubt_if_lost)
//                                                                 -> UNAVAILABLE, saying so: a
//                                                                    retry with the same event ids
//                                                                    is answered idempotently
//   unique violation                                              -> ALREADY_EXISTS
//   data exception (e.g. bytes that are not valid UTF-8)          -> INVALID_ARGUMENT
//   anything else                                                 -> INTERNAL with the message
#ifndef EVENTSTORE_PLUGINS_POSTGRES_PG_ERRORS_HPP
#define EVENTSTORE_PLUGINS_POSTGRES_PG_ERRORS_HPP

#include <exception>
#include <string>

#include "eventstore/status.hpp"

namespace eventstore::postgres {

// The Status for the exception being handled; call it inside a catch block only.
Status status_from_current_exception(const std::string& doing);

// The same for an exception raised once the call's deadline had passed (a statement cancelled by
// the bounded statement_timeout, typically): DEADLINE_EXCEEDED, since nothing was committed;
// except an outcome unknown (pqxx::in_doubt_error), which stays UNAVAILABLE.
Status status_after_deadline(const std::string& doing);

// True when the exception being handled means the connection is gone (and nothing was
// committed: an outcome unknown, pqxx::in_doubt_error, is not counted here).
bool current_exception_is_lost_connection();

// For a statement that commits on its own (autocommit) once sent: throws pqxx::in_doubt_error
// when the exception being handled means the connection is gone, since the statement may have
// committed before it went; rethrows any other exception. Call inside a catch block only.
[[noreturn]] void rethrow_as_in_doubt_if_lost();

// Runs `body` (returning Status or Result<T>), turning any exception into a Status. `doing`
// says what was attempted, for the message ("append to stream 'x'").
template <class Body>
auto guard(const std::string& doing, Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (...) {
        return status_from_current_exception(doing);
    }
}

}  // namespace eventstore::postgres

#endif
