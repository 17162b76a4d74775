// tcp_relay.hpp: a TCP relay on 127.0.0.1 between a client and a server, which a test can freeze
// to make a network path that goes silent: no byte passes any more in either direction, yet no
// FIN or RST reaches either end (both sockets stay open), as when a peer's host dies or a
// middlebox drops its state. It can also cut one connection at the moment the server answers
// something (the reply to a COMMIT, say): the server has done the work, the client never hears.
#ifndef EVENTSTORE_TESTS_TCP_RELAY_HPP
#define EVENTSTORE_TESTS_TCP_RELAY_HPP

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace eventstore::test {

class TcpRelay {
public:
    // Listens on 127.0.0.1 on a free port; each connection accepted there is joined to a new
    // connection to 127.0.0.1:`target_port`, and bytes are forwarded both ways by one thread.
    // When one end closes or fails, the relay closes both. Throws std::system_error if it cannot
    // listen.
    explicit TcpRelay(uint16_t target_port);
    // Stops the thread and closes every socket.
    ~TcpRelay();
    TcpRelay(const TcpRelay&) = delete;
    TcpRelay& operator=(const TcpRelay&) = delete;

    uint16_t port() const { return port_; }
    // When this returns, nothing is read, written, accepted or closed any more: bytes already
    // relayed stay delivered, everything else waits in the kernel's buffers. Irreversible.
    void freeze();

    // Cuts the next connection whose server sends bytes containing `marker`: those bytes are
    // dropped, never reaching the client, and both of the connection's sockets are closed. Once
    // one connection was cut, the relay relays as before (new connections too). `marker` must
    // arrive within one read of the server's socket (a short protocol message does).
    void cut_at_reply(std::string marker);
    // Waits until the connection asked for by cut_at_reply() was cut.
    void wait_for_cut();

private:
    void run();
    void wake();
    // True when `from_server`, bytes a server sent and the client has not received, holds the
    // marker of cut_at_reply(): the relay then closes their connection instead.
    bool cuts(const std::string& from_server);

    int listener_ = -1;
    int wake_[2] = {-1, -1};  // a pipe: freeze() and the destructor interrupt the thread's poll()
    uint16_t port_ = 0;
    uint16_t target_port_;
    std::atomic<bool> freeze_asked_{false};
    std::atomic<bool> frozen_{false};  // set by the thread once it has stopped relaying
    std::atomic<bool> stopping_{false};
    std::mutex cut_mutex_;
    std::string cut_marker_;          // cut_mutex_; empty: nothing to cut
    std::atomic<bool> cut_{false};    // set by the thread once it cut the connection asked for
    std::thread thread_;
};

}  // namespace eventstore::test

#endif
