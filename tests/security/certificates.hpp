// certificates.hpp: a private CA with a server certificate (for 127.0.0.1 and localhost) and
// client certificates, made at test time with the `openssl` command (Debian's openssl package),
// so no key material is committed and none expires in the repository.
#ifndef EVENTSTORE_TESTS_CERTIFICATES_HPP
#define EVENTSTORE_TESTS_CERTIFICATES_HPP

#include <filesystem>
#include <string>

#include "process_support.hpp"

namespace eventstore::test {

struct KeyPair {
    std::filesystem::path cert, key;
    std::string cert_pem() const;
    std::string key_pem() const;
};

class Certificates {
public:
    // Makes the CA "test-ca", its server certificate, a client certificate it signs, and a
    // client certificate signed by another CA ("rogue-ca"). Fails the test when openssl does.
    Certificates();

    const std::filesystem::path& ca() const { return ca_.cert; }
    std::string ca_pem() const { return ca_.cert_pem(); }
    std::string rogue_ca_pem() const { return rogue_ca_.cert_pem(); }
    const KeyPair& server() const { return server_; }
    const KeyPair& client() const { return client_; }
    const KeyPair& rogue_client() const { return rogue_client_; }
    const TempDir& dir() const { return dir_; }

private:
    KeyPair make_ca(const std::string& name);
    KeyPair make_signed(const std::string& name, const KeyPair& ca, const std::string& extensions);

    TempDir dir_;
    KeyPair ca_, rogue_ca_, server_, client_, rogue_client_;
};

}  // namespace eventstore::test

#endif
