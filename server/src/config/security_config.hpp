// security_config.hpp: the `tls` and `auth` sections of the config (docs/security.md explains
// the set-up, docs/configuration.md every key). Parsed with the rest of the file, so a bad
// certificate, an unreadable tokens file or plaintext beyond loopback stops the server at start.
#ifndef EVENTSTORE_SERVER_SECURITY_CONFIG_HPP
#define EVENTSTORE_SERVER_SECURITY_CONFIG_HPP

#include <filesystem>
#include <string>
#include <vector>

#include "config/config_section.hpp"

namespace eventstore::server {

struct TlsConfig {
    std::filesystem::path cert_file;       // PEM certificate chain; with key_file: TLS is on
    std::filesystem::path key_file;        // PEM private key, unencrypted
    std::filesystem::path client_ca_file;  // PEM CA(s): clients must present a cert they signed
    bool plaintext = false;                // asked for plaintext on an address beyond loopback
    // The PEM contents, read and checked when the config is parsed.
    std::string cert_pem, key_pem, client_ca_pem;

    bool enabled() const { return !cert_file.empty(); }
    bool mutual() const { return !client_ca_file.empty(); }
};

// One bearer token: only its SHA-256 is kept.
struct TokenConfig {
    std::string name;    // appears in logs, never the token
    std::string sha256;  // 64 lower-case hex digits
    bool read = false;
    bool write = false;
    bool delete_streams = false;  // the `delete` permission: DeleteStream, TombstoneStream, TruncateStream, SetStreamRetention
    std::vector<std::string> stream_prefixes;  // "" allows every stream
    std::string tenant;  // empty: no tenant (the token sees and writes every tenant)

    bool operator==(const TokenConfig&) const = default;
};

struct AuthConfig {
    bool enabled = false;
    std::vector<TokenConfig> tokens;  // the config's, then the tokens file's
};

// The `tls` section; `listen` decides whether plaintext needs to be asked for.
TlsConfig parse_tls(const Section& root, const std::string& listen,
                    const std::filesystem::path& base_dir);
// The `auth` section, with the tokens of `auth.tokens_file` appended.
AuthConfig parse_auth(const Section& root, const std::filesystem::path& base_dir);

// True for 127.x.x.x, ::1 and localhost: addresses other hosts cannot reach.
bool is_loopback(const std::string& listen);

}  // namespace eventstore::server

#endif
