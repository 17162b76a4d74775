#include "pg_errors.hpp"

#include <pqxx/except>

namespace eventstore::postgres {

namespace {

// The first line of a server or libpq message: they end with a newline and sometimes repeat the
// query, which belongs in no client's error.
std::string first_line(const char* what) {
    std::string text(what);
    const size_t end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

bool retryable_state(const std::string& state) {
    const std::string cls = state.substr(0, 2);
    return cls == "08"                             // connection exception
           || cls == "53"                          // insufficient resources (too many connections)
           || cls == "40"                          // serialization failure, deadlock
           || state == "57014"                     // query_canceled: statement_timeout
           || state == "57P01" || state == "57P02" // admin / crash shutdown
           || state == "57P03";                    // cannot connect now (starting up)
}

}  // namespace

Status status_from_current_exception(const std::string& doing) {
    const std::string prefix = "postgres: " + doing + ": ";
    try {
        throw;
    } catch (const pqxx::in_doubt_error& e) {
        return Status(Code::unavailable,
                      prefix + "the connection was lost after the append was sent, so its outcome "
                               "is unknown (it may have been committed); retry with the same "
                               "event ids (" + first_line(e.what()) + ")");
    } catch (const pqxx::broken_connection& e) {
        return Status(Code::unavailable, prefix + "database unreachable: " + first_line(e.what()));
    } catch (const pqxx::sql_error& e) {
        const std::string& state = e.sqlstate();
        if (retryable_state(state)) {
            return Status(Code::unavailable,
                          prefix + first_line(e.what()) + " (SQLSTATE " + state + ")");
        }
        if (state == "23505") return Status(Code::already_exists, prefix + first_line(e.what()));
        if (state.rfind("22", 0) == 0) {
            return Status(Code::invalid_argument, prefix + first_line(e.what()));
        }
        return Status(Code::internal, prefix + first_line(e.what()) + " (SQLSTATE " + state + ")");
    } catch (const std::exception& e) {
        return Status(Code::internal, prefix + first_line(e.what()));
    } catch (...) {
        return Status(Code::internal, prefix + "an unknown exception");
    }
}

Status status_after_deadline(const std::string& doing) {
    const Status status = status_from_current_exception(doing);
    try {
        throw;
    } catch (const pqxx::in_doubt_error&) {
        return status;
    } catch (...) {
        return Status(Code::deadline_exceeded,
                      "postgres: " + doing + ": the call's deadline passed, nothing was written (" +
                          status.message() + ")");
    }
}

bool current_exception_is_lost_connection() {
    try {
        throw;
    } catch (const pqxx::in_doubt_error&) {
        return false;
    } catch (const pqxx::broken_connection&) {
        return true;
    } catch (const pqxx::sql_error& e) {
        return e.sqlstate().rfind("08", 0) == 0 || e.sqlstate() == "57P01" ||
               e.sqlstate() == "57P02";
    } catch (...) {
        return false;
    }
}

void rethrow_as_in_doubt_if_lost() {
    if (!current_exception_is_lost_connection()) throw;
    try {
        throw;
    } catch (const std::exception& e) {
        throw pqxx::in_doubt_error(first_line(e.what()));
    }
}

}  // namespace eventstore::postgres
