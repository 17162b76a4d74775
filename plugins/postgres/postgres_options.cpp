#include "postgres_options.hpp"

#include <charconv>
#include <cstdlib>

namespace eventstore::postgres {

namespace {

constexpr const char* kKnown =
    "dsn, dsn_env, pool_size, statement_timeout_ms, connect_timeout_s, schema, migrate, "
    "sweep_interval_ms";
constexpr size_t kMaxSchemaBytes = 48;  // leaves room for "_commits" in a 63-byte channel name

Status bad(const std::string& key, const std::string& what, const std::string& value) {
    return Status(Code::invalid_argument, "option " + key + " of the postgres backend " + what +
                                              ", got '" + value + "'");
}

bool parse_u32(const std::string& text, uint32_t& value) {
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    return !text.empty() && error == std::errc() && stop == end;
}

bool is_plain_identifier(const std::string& name) {
    if (name.empty() || name.size() > kMaxSchemaBytes) return false;
    if (!(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'))) return false;
    for (char c : name) {
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    }
    return true;
}

}  // namespace

std::string with_parameter(const std::string& dsn, const std::string& key,
                           const std::string& value) {
    if (dsn.find(key) != std::string::npos) return dsn;
    const bool uri = dsn.rfind("postgresql://", 0) == 0 || dsn.rfind("postgres://", 0) == 0;
    if (!uri) return (dsn.empty() ? "" : dsn + " ") + key + "=" + value;
    return dsn + (dsn.find('?') == std::string::npos ? "?" : "&") + key + "=" + value;
}

Result<PostgresOptions> parse_postgres_options(
    const std::vector<std::pair<std::string, std::string>>& options) {
    PostgresOptions parsed;
    bool has_dsn = false;
    std::string dsn_env;
    for (const auto& [key, value] : options) {
        if (key == "dsn") {
            parsed.dsn = value;
            has_dsn = true;
        } else if (key == "dsn_env") {
            if (value.empty()) return bad(key, "must name an environment variable", value);
            dsn_env = value;
        } else if (key == "pool_size") {
            if (!parse_u32(value, parsed.pool_size) || parsed.pool_size < 1 ||
                parsed.pool_size > 1000) {
                return bad(key, "must be a whole number from 1 to 1000", value);
            }
        } else if (key == "statement_timeout_ms") {
            if (!parse_u32(value, parsed.statement_timeout_ms)) {
                return bad(key, "must be a whole number of milliseconds (0 = none)", value);
            }
        } else if (key == "sweep_interval_ms") {
            if (!parse_u32(value, parsed.sweep_interval_ms) || parsed.sweep_interval_ms < 1) {
                return bad(key, "must be a whole number of milliseconds, at least 1", value);
            }
        } else if (key == "connect_timeout_s") {
            if (!parse_u32(value, parsed.connect_timeout_s) || parsed.connect_timeout_s < 1) {
                return bad(key, "must be a whole number of seconds, at least 1", value);
            }
        } else if (key == "schema") {
            if (!is_plain_identifier(value)) {
                return bad(key,
                           "must be a lower-case identifier ([a-z_][a-z0-9_]*, at most 48 bytes)",
                           value);
            }
            parsed.schema = value;
        } else if (key == "migrate") {
            if (value == "auto") parsed.migrate = MigrateMode::automatic;
            else if (value == "check") parsed.migrate = MigrateMode::check;
            else if (value == "off") parsed.migrate = MigrateMode::off;
            else return bad(key, "must be one of auto, check, off", value);
        } else {
            return Status(Code::invalid_argument, "unknown option '" + key +
                                                      "' for the postgres backend (known: " +
                                                      kKnown + ")");
        }
    }
    if (has_dsn && !dsn_env.empty()) {
        return Status(Code::invalid_argument,
                      "options dsn and dsn_env of the postgres backend exclude each other");
    }
    if (!dsn_env.empty()) {
        const char* value = std::getenv(dsn_env.c_str());
        if (value == nullptr) {
            return Status(Code::invalid_argument, "option dsn_env of the postgres backend names '" +
                                                      dsn_env + "', which is not set");
        }
        parsed.dsn = value;
    }
    // Over TCP, a server that vanished (a network partition, a dead host) is noticed within
    // about 20 s instead of the kernel's hours, so calls fail with UNAVAILABLE instead of
    // hanging. libpq ignores these on a Unix socket; a DSN that sets them wins.
    parsed.dsn =
        with_parameter(parsed.dsn, "connect_timeout", std::to_string(parsed.connect_timeout_s));
    parsed.dsn = with_parameter(parsed.dsn, "keepalives_idle", "10");
    parsed.dsn = with_parameter(parsed.dsn, "keepalives_interval", "5");
    parsed.dsn = with_parameter(parsed.dsn, "keepalives_count", "2");
    parsed.dsn = with_parameter(parsed.dsn, "tcp_user_timeout", "20000");
    return parsed;
}

}  // namespace eventstore::postgres
