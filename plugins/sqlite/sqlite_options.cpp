#include "sqlite_options.hpp"

#include <charconv>

namespace eventstore::sqlite {

namespace {

constexpr const char* kKnown = "path, synchronous, readers, busy_timeout_ms, max_bytes";

Status bad(const std::string& key, const std::string& what, const std::string& value) {
    return Status(Code::invalid_argument,
                  "option " + key + " of the sqlite backend " + what + ", got '" + value + "'");
}

template <class Number>
bool parse_number(const std::string& text, Number& value) {
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    return !text.empty() && error == std::errc() && stop == end;
}

}  // namespace

Result<SqliteOptions> parse_sqlite_options(
    const std::vector<std::pair<std::string, std::string>>& options) {
    SqliteOptions parsed;
    for (const auto& [key, value] : options) {
        if (key == "path") {
            if (value.empty()) return bad(key, "must name the database file", value);
            parsed.path = value;
        } else if (key == "synchronous") {
            if (value == "full") parsed.synchronous = Synchronous::full;
            else if (value == "normal") parsed.synchronous = Synchronous::normal;
            else return bad(key, "must be full or normal", value);
        } else if (key == "readers") {
            if (!parse_number(value, parsed.readers) || parsed.readers < 1 ||
                parsed.readers > 1000) {
                return bad(key, "must be a whole number from 1 to 1000", value);
            }
        } else if (key == "busy_timeout_ms") {
            if (!parse_number(value, parsed.busy_timeout_ms)) {
                return bad(key, "must be a whole number of milliseconds", value);
            }
        } else if (key == "max_bytes") {
            if (!parse_number(value, parsed.max_bytes)) {
                return bad(key, "must be a whole number of bytes (0 = no cap)", value);
            }
        } else {
            return Status(Code::invalid_argument, "unknown option '" + key +
                                                      "' for the sqlite backend (known: " +
                                                      kKnown + ")");
        }
    }
    if (parsed.path.empty()) {
        return Status(Code::invalid_argument,
                      "the sqlite backend needs option path: the database file, e.g. "
                      "/var/lib/eventstore/events.db");
    }
    return parsed;
}

}  // namespace eventstore::sqlite
