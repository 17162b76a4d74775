// http_get.hpp: one HTTP GET to 127.0.0.1 with civetweb's client, for the tests of /metrics and
// the probes.
#ifndef EVENTSTORE_TESTS_HTTP_GET_HPP
#define EVENTSTORE_TESTS_HTTP_GET_HPP

#include <map>
#include <string>

namespace eventstore::test {

struct HttpResponse {
    int status = 0;  // 0: no connection
    std::string body;
};

HttpResponse http_get(int port, const std::string& path);

// The samples of a Prometheus text page: "name{labels}" -> value (comments skipped).
std::map<std::string, double> parse_metrics(const std::string& text);

}  // namespace eventstore::test

#endif
