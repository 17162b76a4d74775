// logging.hpp: sets up spdlog as the server's one logger, plain text or one JSON object a line.
#ifndef EVENTSTORE_SERVER_LOGGING_HPP
#define EVENTSTORE_SERVER_LOGGING_HPP

#include "config/config.hpp"

namespace eventstore::server {

// Logs to stderr at the configured level and format. Call once, before other threads start.
void setup_logging(const LoggingConfig& config);

}  // namespace eventstore::server

#endif
