#include "pgbench.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>
#include <sstream>
#include <stdexcept>

#include <boost/process.hpp>

#include "events.hpp"

namespace eventstore::bench {
namespace {

namespace bp = boost::process;

constexpr const char* kSchema = "bench_pgbench";

// Runs `program` with `args`; its exit status and everything it printed.
std::pair<int, std::string> run_program(const std::string& program,
                                        const std::vector<std::string>& args) {
    const auto path = bp::search_path(program);
    if (path.empty()) {
        throw std::runtime_error(program + " not found on PATH (scripts/install-deps.sh installs "
                                 "postgresql-client)");
    }
    bp::ipstream output;
    bp::child child(path, bp::args(args), (bp::std_out & bp::std_err) > output, bp::std_in < bp::null);
    std::stringstream text;
    text << output.rdbuf();
    child.wait();
    return {child.exit_code(), text.str()};
}

std::string hex(uint32_t bytes, char c) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (uint32_t i = 0; i < bytes; ++i) {
        out += digits[(c >> 4) & 0xf];
        out += digits[c & 0xf];
    }
    return out;
}

// One transaction: an INSERT of `rows` rows shaped as the backend's.
std::string script(uint32_t rows, uint32_t payload_bytes) {
    std::ostringstream sql;
    sql << "INSERT INTO " << kSchema << ".events (global_position, stream_id, stream_version, "
        << "event_id, type_name, content_type, tenant_id, correlation_id, causation_id, headers, "
        << "payload, recorded_at) SELECT nextval('" << kSchema << ".positions'), '"
        << run_prefix() << "-pgbench-' || :client_id, nextval('" << kSchema << ".versions'), "
        << "gen_random_uuid()::text, '" << kEventType << "', '" << kContentType << "', '', '', "
        << "'', '\\x'::bytea, '\\x" << hex(payload_bytes, 'x') << "'::bytea, clock_timestamp() "
        << "FROM generate_series(1, " << rows << ");\n";
    return sql.str();
}

double figure(const std::string& output, const std::string& pattern) {
    std::smatch match;
    if (!std::regex_search(output, match, std::regex(pattern))) {
        throw std::runtime_error("pgbench printed no '" + pattern + "':\n" + output);
    }
    return std::stod(match[1]);
}

}  // namespace

Pgbench::Pgbench(std::string dsn, std::string migrations_dir) : dsn_(std::move(dsn)) {
    std::vector<std::string> migrations;
    for (const auto& entry : std::filesystem::directory_iterator(migrations_dir)) {
        if (entry.path().extension() == ".sql") migrations.push_back(entry.path().string());
    }
    std::sort(migrations.begin(), migrations.end());
    std::vector<std::string> args{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn_, "-c",
                                  std::string("DROP SCHEMA IF EXISTS ") + kSchema + " CASCADE",
                                  "-c", std::string("CREATE SCHEMA ") + kSchema, "-c",
                                  std::string("SET search_path = ") + kSchema};
    for (const std::string& migration : migrations) {
        args.push_back("-f");
        args.push_back(migration);
    }
    args.push_back("-c");
    args.push_back(std::string("CREATE SEQUENCE positions; CREATE SEQUENCE versions"));
    const auto [status, output] = run_program("psql", args);
    if (status != 0) throw std::runtime_error("making the pgbench baseline schema failed:\n" + output);
}

RunFigures Pgbench::run(uint32_t clients, uint32_t rows, uint32_t payload_bytes,
                        double duration_s) {
    const auto path = dir_.write("insert-" + std::to_string(rows) + ".sql", script(rows, payload_bytes));
    const int seconds = std::max(1, static_cast<int>(std::lround(duration_s)));
    const auto [status, output] = run_program(
        "pgbench", {"-n", "-M", "prepared", "-c", std::to_string(clients), "-j",
                    std::to_string(std::min<uint32_t>(clients, 2)), "-T", std::to_string(seconds),
                    "-f", path.string(), dsn_});
    if (status != 0) throw std::runtime_error("pgbench failed:\n" + output);
    const double tps = figure(output, R"(tps = ([0-9.]+))");
    RunFigures figures;
    figures.seconds = seconds;
    figures.calls = static_cast<uint64_t>(std::llround(tps * seconds));
    figures.events = figures.calls * rows;
    figures.extra["latency_avg_ms"] = figure(output, R"(latency average = ([0-9.]+) ms)");
    return figures;
}

}  // namespace eventstore::bench
