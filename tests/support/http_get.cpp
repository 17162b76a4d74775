#include "http_get.hpp"

#include <sstream>

#include <civetweb.h>

namespace eventstore::test {

HttpResponse http_get(int port, const std::string& path) {
    char error[256] = "";
    mg_connection* connection = mg_download("127.0.0.1", port, 0, error, sizeof(error),
                                            "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                                            path.c_str());
    HttpResponse response;
    if (connection == nullptr) return response;
    response.status = mg_get_response_info(connection)->status_code;
    char buffer[4096];
    for (int n; (n = mg_read(connection, buffer, sizeof(buffer))) > 0;) response.body.append(buffer, n);
    mg_close_connection(connection);
    return response;
}

std::map<std::string, double> parse_metrics(const std::string& text) {
    std::map<std::string, double> samples;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        const size_t space = line.rfind(' ');
        samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return samples;
}

}  // namespace eventstore::test
