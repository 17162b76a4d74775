#include "process_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace eventstore::test {
namespace {

namespace bp = boost::process;

// How often a wait looks again at a log file or a process.
constexpr std::chrono::milliseconds kPollInterval{20};

struct Socket {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ~Socket() {
        if (fd >= 0) close(fd);
    }
};

}  // namespace

sockaddr_in loopback(uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

TempDir::TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "eventstore-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& text) const {
    const auto path = path_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

uint16_t free_port() {
    Socket s;
    sockaddr_in address = loopback(0);
    if (s.fd < 0 || bind(s.fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        throw std::runtime_error("cannot bind 127.0.0.1:0");
    }
    socklen_t length = sizeof(address);
    getsockname(s.fd, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

bool is_listening(uint16_t port) {
    Socket s;
    const sockaddr_in address = loopback(port);
    return connect(s.fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
}

// Output files named by a counter, so several processes can share one folder.
std::filesystem::path output_file(const TempDir& dir, const char* kind) {
    static std::atomic<int> counter{0};
    return dir.path() / ("eventstored-" + std::to_string(++counter) + "." + kind);
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

EventstoredProcess::EventstoredProcess(const std::vector<std::string>& args, const TempDir& dir,
                                       const std::string& program)
    : out_path_(output_file(dir, "out")),
      log_path_(output_file(dir, "log")),
      child_(program, bp::args(args), bp::std_out > out_path_.string(),
             bp::std_err > log_path_.string(), bp::std_in < bp::null) {}

EventstoredProcess::~EventstoredProcess() {
    std::error_code ec;
    if (child_.running(ec)) child_.terminate(ec);
    child_.wait(ec);
}

std::optional<int> EventstoredProcess::wait_for_exit(std::chrono::milliseconds timeout) {
    std::error_code ec;
    if (!child_.wait_for(timeout, ec) || ec) return std::nullopt;
    return child_.exit_code();
}

bool EventstoredProcess::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::error_code ec;
    for (;;) {
        if (log().find(text) != std::string::npos) return true;
        if (std::chrono::steady_clock::now() > deadline || !child_.running(ec)) {
            return log().find(text) != std::string::npos;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

std::string EventstoredProcess::log() const { return read_text(log_path_); }

std::optional<double> EventstoredProcess::logged_between(const std::string& first,
                                                         const std::string& then) const {
    const std::string text = log();
    // The time of day, in seconds, of the line holding `what`.
    const auto time_of = [&](const std::string& what) -> std::optional<double> {
        const size_t found = text.find(what);
        if (found == std::string::npos) return std::nullopt;
        const size_t newline = text.rfind('\n', found);
        const size_t line = newline == std::string::npos ? 0 : newline + 1;
        int hours = 0, minutes = 0;
        double seconds = 0;
        if (std::sscanf(text.c_str() + line, "%*4d-%*2d-%*2dT%2d:%2d:%lfZ", &hours, &minutes,
                        &seconds) != 3) {
            return std::nullopt;
        }
        return hours * 3600 + minutes * 60 + seconds;
    };
    const auto from = time_of(first), to = time_of(then);
    if (!from || !to) return std::nullopt;
    return *to - *from;
}

std::string EventstoredProcess::out() const { return read_text(out_path_); }

void EventstoredProcess::signal(int signal_number) { kill(child_.id(), signal_number); }

int EventstoredProcess::pid() const { return child_.id(); }

}  // namespace eventstore::test
