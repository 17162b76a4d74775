// process_support.hpp: running the real eventstored binary in tests: a temporary folder, a free
// loopback port, and a child process whose log is captured to a file the test can wait on.
#ifndef EVENTSTORE_TESTS_PROCESS_SUPPORT_HPP
#define EVENTSTORE_TESTS_PROCESS_SUPPORT_HPP

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <netinet/in.h>

#include <boost/process.hpp>

namespace eventstore::test {

// A fresh folder under the system temp dir, removed with everything in it.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    // Writes `text` to a file in this folder and returns its path.
    std::filesystem::path write(const std::string& name, const std::string& text) const;

private:
    std::filesystem::path path_;
};

// 127.0.0.1:port as a socket address.
sockaddr_in loopback(uint16_t port);
// A loopback port that was free a moment ago (bound as port 0, read back, closed).
uint16_t free_port();
// True when something accepts TCP connections on 127.0.0.1:port.
bool is_listening(uint16_t port);

// eventstored (EVENTSTORED_PATH, or another server `program`) running as a child process with the
// given arguments; its stdout and stderr (where it logs) go to files in `dir`. Killed at
// destruction if still running.
class EventstoredProcess {
public:
    EventstoredProcess(const std::vector<std::string>& args, const TempDir& dir,
                       const std::string& program = EVENTSTORED_PATH);
    ~EventstoredProcess();

    // Waits for the process to end; its exit code, or nothing if it still runs at the deadline.
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
    // Waits until the log contains `text`; false if the deadline passes or the process ends first.
    bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout);
    // Everything logged (stderr) and printed (stdout) so far.
    std::string log() const;
    std::string out() const;
    void signal(int signal_number);
    int pid() const;
    // Seconds from the log line holding `first` to the one holding `then` (plain log format,
    // which begins each line with its UTC time in microseconds); nothing when either is missing.
    std::optional<double> logged_between(const std::string& first, const std::string& then) const;

private:
    std::filesystem::path out_path_;
    std::filesystem::path log_path_;
    boost::process::child child_;
};

}  // namespace eventstore::test

#endif
