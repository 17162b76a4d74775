#include "commit_notifier.hpp"

#include <spdlog/spdlog.h>

namespace eventstore::server {

void CommitNotifier::committed(uint64_t position) {
    {
        std::lock_guard lock(mutex_);
        if (position <= head_) return;
        head_ = position;
    }
    changed_.notify_all();
}

void CommitNotifier::log(es_log_level level, std::string_view message) {
    static constexpr spdlog::level::level_enum kLevels[] = {
        spdlog::level::trace, spdlog::level::debug, spdlog::level::info, spdlog::level::warn,
        spdlog::level::err};
    const auto index = static_cast<size_t>(level);
    spdlog::log(index < std::size(kLevels) ? kLevels[index] : spdlog::level::info, "backend: {}",
                message);
}

bool CommitNotifier::wait_beyond(uint64_t position, std::chrono::steady_clock::time_point until) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, until, [&] { return closed_ || head_ > position; });
    return head_ > position;
}

void CommitNotifier::close() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    changed_.notify_all();
}

bool CommitNotifier::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

uint64_t CommitNotifier::head() const {
    std::lock_guard lock(mutex_);
    return head_;
}

}  // namespace eventstore::server
