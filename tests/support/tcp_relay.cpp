#include "tcp_relay.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <vector>

#include "process_support.hpp"

namespace eventstore::test {
namespace {

// One relayed connection: its two sockets and the bytes read from one, not yet written to the
// other. A buffer is refilled only once empty, so each holds at most one read.
struct Link {
    int client;
    int server;
    std::string to_server;
    std::string to_client;
};

constexpr size_t kChunk = 64 * 1024;

bool again() { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR; }

// Appends what `fd` has to `buffer`; false when the peer closed or the socket failed.
bool receive(int fd, std::string& buffer) {
    char chunk[kChunk];
    const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n > 0) buffer.append(chunk, static_cast<size_t>(n));
    return n > 0 || (n < 0 && again());
}

// Writes what `fd` takes of `buffer` and drops it from there; false when the socket failed.
bool transmit(int fd, std::string& buffer) {
    const ssize_t n = send(fd, buffer.data(), buffer.size(), MSG_NOSIGNAL);
    if (n >= 0) buffer.erase(0, static_cast<size_t>(n));
    return n >= 0 || again();
}

short wanted(const std::string& inbound, const std::string& outbound) {
    return static_cast<short>((inbound.empty() ? POLLIN : 0) | (outbound.empty() ? 0 : POLLOUT));
}

// Serves what poll() reported for `event.fd`: reads into `inbound`, writes from `outbound`;
// false when this end is gone.
bool serve(const pollfd& event, std::string& inbound, std::string& outbound) {
    if ((event.revents & POLLIN) && !receive(event.fd, inbound)) return false;
    if ((event.revents & POLLOUT) && !transmit(event.fd, outbound)) return false;
    if (event.revents & (POLLERR | POLLNVAL)) return false;
    return !(event.revents & POLLHUP) || (event.revents & POLLIN);
}

void close_link(const Link& link) {
    close(link.client);
    close(link.server);
}

// A connection to 127.0.0.1:port, non-blocking once connected; -1 if refused.
int connect_to(uint16_t port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in address = loopback(port);
    if (fd < 0 || connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
        fcntl(fd, F_SETFL, O_NONBLOCK) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

TcpRelay::TcpRelay(uint16_t target_port) : target_port_(target_port) {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof(address);
    if (listener_ < 0 || bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        listen(listener_, 16) != 0 || getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
        const std::system_error error(errno, std::generic_category(), "the TCP relay cannot listen on 127.0.0.1");
        if (listener_ >= 0) close(listener_);
        throw error;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread(&TcpRelay::run, this);
}

TcpRelay::~TcpRelay() {
    stopping_ = true;
    wake();
    thread_.join();
    close(listener_);
    close(wake_[0]);
    close(wake_[1]);
}

void TcpRelay::freeze() {
    freeze_asked_ = true;
    wake();
    frozen_.wait(false);
}

void TcpRelay::cut_at_reply(std::string marker) {
    std::lock_guard lock(cut_mutex_);
    cut_marker_ = std::move(marker);
    cut_ = false;
}

void TcpRelay::wait_for_cut() { cut_.wait(false); }

void TcpRelay::wake() {
    const char byte = 0;
    // Only EAGAIN can fail this, and a full pipe wakes the thread as well.
    [[maybe_unused]] const ssize_t written = write(wake_[1], &byte, 1);
}

bool TcpRelay::cuts(const std::string& from_server) {
    std::lock_guard lock(cut_mutex_);
    if (cut_marker_.empty() || from_server.find(cut_marker_) == std::string::npos) return false;
    cut_marker_.clear();
    cut_ = true;
    cut_.notify_all();
    return true;
}

void TcpRelay::run() {
    std::vector<Link> links;
    std::vector<pollfd> events;
    while (!stopping_) {
        if (freeze_asked_ && !frozen_) {
            frozen_ = true;
            frozen_.notify_all();
        }
        events.assign({{wake_[0], POLLIN, 0}});
        if (!frozen_) {
            events.push_back({listener_, POLLIN, 0});
            for (const Link& link : links) {
                events.push_back({link.client, wanted(link.to_server, link.to_client), 0});
                events.push_back({link.server, wanted(link.to_client, link.to_server), 0});
            }
        }
        if (poll(events.data(), events.size(), -1) < 0) {
            if (errno == EINTR) continue;
            break;  // cannot happen with valid descriptors; the relay then stops as if frozen
        }
        if (events[0].revents & POLLIN) {
            char drained[64];
            [[maybe_unused]] const ssize_t n = read(wake_[0], drained, sizeof(drained));
        }
        if (frozen_) continue;
        std::vector<Link> open;
        for (size_t i = 0; i < links.size(); ++i) {
            Link& link = links[i];
            if (serve(events[2 + 2 * i], link.to_server, link.to_client) &&
                serve(events[3 + 2 * i], link.to_client, link.to_server) && !cuts(link.to_client)) {
                open.push_back(std::move(link));
            } else {
                close_link(link);
            }
        }
        links = std::move(open);
        if (events[1].revents & POLLIN) {
            const int client = accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            const int server = client < 0 ? -1 : connect_to(target_port_);
            if (server >= 0) {
                links.push_back({client, server, {}, {}});
            } else if (client >= 0) {
                close(client);
            }
        }
    }
    for (const Link& link : links) close_link(link);
    frozen_ = true;
    frozen_.notify_all();
}

}  // namespace eventstore::test
