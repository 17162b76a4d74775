#include "security/crypto.hpp"

#include <memory>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

namespace eventstore::server {
namespace {

std::string hex(const unsigned char* bytes, size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (size_t i = 0; i < size; ++i) {
        out.push_back(kDigits[bytes[i] >> 4]);
        out.push_back(kDigits[bytes[i] & 0xf]);
    }
    return out;
}

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;
using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Bio memory_bio(const std::string& pem) {
    return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
}

Cert first_certificate(const std::string& pem) {
    Bio bio = memory_bio(pem);
    return Cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, &X509_free);
}

}  // namespace

std::string sha256_hex(std::string_view text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
        return {};
    }
    return hex(digest, size);
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out(text.size() / 4 * 3, '\0');
    const int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(text.data()),
                                     static_cast<int>(text.size()));
    if (size < 0) return std::nullopt;
    // EVP_DecodeBlock counts the bytes the padding stands for; they are not data.
    const size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
    out.resize(static_cast<size_t>(size) - padding);
    return out;
}

std::string random_token() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof(bytes)) != 1) return {};
    return hex(bytes, sizeof(bytes));
}

Status check_key_pair(const std::string& cert_pem, const std::string& key_pem,
                      const std::string& what) {
    const Cert cert = first_certificate(cert_pem);
    if (!cert) return Status(Code::invalid_argument, what + ": no PEM certificate in the cert file");
    Bio bio = memory_bio(key_pem);
    const Key key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr,
                  &EVP_PKEY_free);
    if (!key) {
        return Status(Code::invalid_argument,
                      what + ": no unencrypted PEM private key in the key file");
    }
    if (X509_check_private_key(cert.get(), key.get()) != 1) {
        return Status(Code::invalid_argument,
                      what + ": the private key does not belong to the certificate");
    }
    return {};
}

Status check_certificates(const std::string& pem, const std::string& what) {
    if (!first_certificate(pem)) return Status(Code::invalid_argument, what + ": no PEM certificate");
    return {};
}

}  // namespace eventstore::server
