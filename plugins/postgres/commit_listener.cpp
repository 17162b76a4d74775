#include "commit_listener.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <charconv>
#include <system_error>

#include <pqxx/nontransaction>
#include <pqxx/notification>

#include "pg_errors.hpp"
#include "statements.hpp"

namespace eventstore::postgres {

namespace {

uint64_t read_head(pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    return tx.exec_prepared1(sql::kReadHead.name)[0].as<uint64_t>();
}

class Receiver final : public pqxx::notification_receiver {
public:
    Receiver(pqxx::connection& connection, const std::string& channel,
             const CommitListener::OnHead& on_head)
        : pqxx::notification_receiver(connection, channel), on_head_(on_head) {}

    void operator()(const std::string& payload, int) override {
        uint64_t head = 0;
        const char* end = payload.data() + payload.size();
        const auto [stop, error] = std::from_chars(payload.data(), end, head);
        if (error == std::errc() && stop == end) on_head_(head);
    }

private:
    const CommitListener::OnHead& on_head_;
};

}  // namespace

CommitListener::CommitListener(ConnectionPool& pool, SessionSettings settings, std::string channel,
                               plugin::Host host, OnHead on_head)
    : pool_(pool), settings_(std::move(settings)), channel_(std::move(channel)),
      host_(std::move(host)),
      on_head_(std::move(on_head)) {
    if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw std::system_error(errno, std::generic_category(), "commit listener pipe");
    }
    thread_ = std::thread([this] { run(); });
}

CommitListener::~CommitListener() {
    stopping_ = true;
    const char byte = 0;
    (void)!write(wake_[1], &byte, 1);
    thread_.join();
    close(wake_[0]);
    close(wake_[1]);
}

void CommitListener::run() {
    while (!stopping_) {
        try {
            listen();
            return;  // stopped
        } catch (...) {
            if (!was_down_) {
                host_.log(ES_LOG_WARN,
                          status_from_current_exception("listen for commits on '" + channel_ + "'")
                                  .message() +
                              "; polling the head every " +
                              std::to_string(kPollInterval.count()) + " ms until it is back");
            }
            was_down_ = true;
        }
        poll_head();
        if (!wait_readable(-1, kPollInterval)) return;
    }
}

void CommitListener::listen() {
    Session session(settings_);
    pqxx::connection& connection = session.connection();
    Receiver receiver(connection, channel_, on_head_);
    on_head_(read_head(connection));
    if (was_down_) host_.log(ES_LOG_INFO, "listening for commits on '" + channel_ + "' again");
    was_down_ = false;
    for (;;) {
        if (!wait_readable(connection.sock(), std::chrono::hours(1))) return;
        connection.get_notifs();
        if (!connection.is_open()) throw pqxx::broken_connection("the LISTEN connection closed");
    }
}

bool CommitListener::poll_head() {
    try {
        auto lease = pool_.acquire();
        if (!lease.ok()) return false;
        try {
            on_head_(read_head(*lease.value()));
            return true;
        } catch (...) {
            if (current_exception_is_lost_connection()) lease.value().lost();
            return false;
        }
    } catch (...) {
        return false;
    }
}

bool CommitListener::wait_readable(int fd, std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{wake_[0], POLLIN, 0}, {fd, POLLIN, 0}};
    const int count = fd < 0 ? 1 : 2;
    for (;;) {
        const int ready = ::poll(fds, count, static_cast<int>(timeout.count()));
        if (stopping_) return false;
        if (ready >= 0) return true;
        if (errno != EINTR) return true;
    }
}

}  // namespace eventstore::postgres
