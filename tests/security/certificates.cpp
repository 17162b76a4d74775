#include "certificates.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace eventstore::test {
namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Runs an openssl command line in `dir`, its output in openssl.log there.
void openssl(const TempDir& dir, const std::string& arguments) {
    const std::string command = "cd '" + dir.path().string() + "' && openssl " + arguments +
                                " >> openssl.log 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0)
        << command << "\n" << read_file(dir.path() / "openssl.log");
}

constexpr const char* kKeyOptions = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

}  // namespace

std::string KeyPair::cert_pem() const { return read_file(cert); }
std::string KeyPair::key_pem() const { return read_file(key); }

Certificates::Certificates() {
    ca_ = make_ca("test-ca");
    rogue_ca_ = make_ca("rogue-ca");
    server_ = make_signed("server", ca_, "subjectAltName=IP:127.0.0.1,DNS:localhost");
    client_ = make_signed("client", ca_, "extendedKeyUsage=clientAuth");
    rogue_client_ = make_signed("rogue-client", rogue_ca_, "extendedKeyUsage=clientAuth");
}

KeyPair Certificates::make_ca(const std::string& name) {
    openssl(dir_, "req -x509 " + std::string(kKeyOptions) + " -keyout " + name + ".key -out " +
                      name + ".crt -days 2 -subj /CN=" + name);
    return {dir_.path() / (name + ".crt"), dir_.path() / (name + ".key")};
}

KeyPair Certificates::make_signed(const std::string& name, const KeyPair& ca,
                                  const std::string& extensions) {
    dir_.write(name + ".ext", extensions + "\n");
    openssl(dir_, "req " + std::string(kKeyOptions) + " -keyout " + name + ".key -out " + name +
                      ".csr -subj /CN=" + name);
    openssl(dir_, "x509 -req -in " + name + ".csr -CA " + ca.cert.string() + " -CAkey " +
                      ca.key.string() + " -CAcreateserial -days 2 -out " + name + ".crt -extfile " +
                      name + ".ext");
    return {dir_.path() / (name + ".crt"), dir_.path() / (name + ".key")};
}

}  // namespace eventstore::test
