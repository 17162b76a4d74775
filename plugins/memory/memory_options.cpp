#include "memory_options.hpp"

#include <charconv>

namespace eventstore::memory {

namespace {

bool parse_unsigned(const std::string& text, uint64_t& value) {
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    return !text.empty() && error == std::errc() && stop == end;
}

}  // namespace

Result<MemoryOptions> parse_memory_options(
    const std::vector<std::pair<std::string, std::string>>& options) {
    MemoryOptions parsed;
    for (const auto& [key, value] : options) {
        if (key != "max_bytes") {
            return Status(Code::invalid_argument,
                          "unknown option '" + key + "' for the memory backend (known: max_bytes)");
        }
        if (!parse_unsigned(value, parsed.max_bytes)) {
            return Status(Code::invalid_argument,
                          "option max_bytes of the memory backend must be an unsigned integer "
                          "(bytes, 0 = unlimited), got '" + value + "'");
        }
    }
    return parsed;
}

}  // namespace eventstore::memory
