// crypto.hpp: the few things the server asks of OpenSSL's libcrypto (the library gRPC itself
// uses): SHA-256 of bearer tokens, base64 of Basic credentials, fresh random tokens, and a check of TLS key material at
// start-up so a bad file gets a clear message instead of gRPC's failure to listen.
#ifndef EVENTSTORE_SERVER_CRYPTO_HPP
#define EVENTSTORE_SERVER_CRYPTO_HPP

#include <optional>
#include <string>
#include <string_view>

#include "eventstore/status.hpp"

namespace eventstore::server {

// The SHA-256 of `text` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view text);

// The bytes of standard base64 `text` (padding required, as HTTP Basic credentials have it), or
// nothing when `text` is not base64.
std::optional<std::string> base64_decode(std::string_view text);

// 32 random bytes from OpenSSL's CSPRNG as 64 hex digits, for a new bearer token.
std::string random_token();

// OK when `cert_pem` holds a certificate and `key_pem` the private key that matches it.
// `what` names the files in the message.
Status check_key_pair(const std::string& cert_pem, const std::string& key_pem, const std::string& what);

// OK when `pem` holds at least one certificate.
Status check_certificates(const std::string& pem, const std::string& what);

}  // namespace eventstore::server

#endif
