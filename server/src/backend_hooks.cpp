#include "backend_hooks.hpp"

#include <spdlog/spdlog.h>

namespace eventstore::server {

void BackendHooks::log(es_log_level level, std::string_view message) {
    static constexpr spdlog::level::level_enum kLevels[] = {
        spdlog::level::trace, spdlog::level::debug, spdlog::level::info, spdlog::level::warn,
        spdlog::level::err};
    const auto index = static_cast<size_t>(level);
    spdlog::log(index < std::size(kLevels) ? kLevels[index] : spdlog::level::info, "backend: {}",
                message);
}

}  // namespace eventstore::server
