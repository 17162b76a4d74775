#include "reader_pool.hpp"

#include "sqlite_errors.hpp"

namespace eventstore::sqlite {

ReaderPool::ReaderPool(std::string path, uint32_t size, uint32_t busy_timeout_ms)
    : path_(std::move(path)), size_(size), busy_timeout_ms_(busy_timeout_ms) {}

ReaderPool::Lease::~Lease() {
    if (connection_ != nullptr) pool_->give_back(std::move(connection_));
}

Result<ReaderPool::Lease> ReaderPool::acquire(const Deadline& deadline) {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (closed_) {
            return Status(Code::unavailable, "sqlite: " + path_ + ": the store is closed");
        }
        if (!idle_.empty()) {
            std::unique_ptr<Connection> connection = std::move(idle_.back());
            idle_.pop_back();
            connection->set_deadline(deadline);
            return Lease(*this, std::move(connection));
        }
        if (open_ < size_) break;
        const bool woke = deadline.none()
                              ? (returned_.wait(lock), true)
                              : returned_.wait_until(lock, *deadline.when()) ==
                                    std::cv_status::no_timeout;
        if (!woke && idle_.empty()) {
            return Status(Code::deadline_exceeded,
                          "sqlite: " + path_ + ": the call's deadline passed while every one of "
                          "its " + std::to_string(size_) +
                          " read connections was busy (options.readers)");
        }
    }
    ++open_;
    lock.unlock();
    try {
        auto connection =
            std::make_unique<Connection>(path_, SQLITE_OPEN_READWRITE, busy_timeout_ms_);
        connection->exec("PRAGMA query_only = 1");
        connection->set_deadline(deadline);
        return Lease(*this, std::move(connection));
    } catch (...) {
        lock.lock();
        --open_;
        returned_.notify_one();
        throw;
    }
}

void ReaderPool::give_back(std::unique_ptr<Connection> connection) {
    connection->set_deadline(Deadline());
    std::lock_guard lock(mutex_);
    if (closed_) {
        --open_;
        return;  // the connection closes as it goes out of scope
    }
    idle_.push_back(std::move(connection));
    returned_.notify_one();
}

void ReaderPool::close() {
    std::vector<std::unique_ptr<Connection>> closing;
    std::lock_guard lock(mutex_);
    closed_ = true;
    open_ -= static_cast<uint32_t>(idle_.size());
    closing.swap(idle_);
    returned_.notify_all();
}

}  // namespace eventstore::sqlite
