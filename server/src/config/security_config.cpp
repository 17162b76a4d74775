#include "config/security_config.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "security/crypto.hpp"

namespace eventstore::server {
namespace {

// The contents of the file named under `key`; fails naming the key when it cannot be read.
std::string read_named_file(const Section& section, const std::string& key,
                            const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) section.fail(section.child(key), section.qualified(key) + ": cannot read " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void require_ok(const Section& section, const std::string& key, const Status& status) {
    if (!status.ok()) section.fail(section.child(key), status.message());
}

bool is_sha256_hex(const std::string& text) {
    return text.size() == 64 &&
           text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TokenConfig parse_token(const YAML::Node& node, const std::string& path, const std::string& source) {
    const Section token(node, path, {"name", "sha256", "permissions", "stream_prefixes", "tenant"},
                        source);
    if (!node.IsMap()) token.fail(node, path + " must be a mapping");
    TokenConfig parsed;
    parsed.name = token.text("name", "");
    if (parsed.name.empty()) token.fail(node, path + ".name is required (it names the token in logs)");
    parsed.sha256 = token.text("sha256", "");
    if (!is_sha256_hex(parsed.sha256)) {
        token.fail(token.child("sha256").IsDefined() ? token.child("sha256") : node,
                   path + ".sha256 must be 64 lower-case hex digits: the output of "
                          "`eventstored --hash-token` (the token itself is never stored)");
    }
    if (!token.child("permissions")) {
        token.fail(node, path + ".permissions is required: a list of read, write and delete, e.g. [read, write]");
    }
    for (const std::string& permission : token.texts("permissions", {})) {
        if (permission == "read") {
            parsed.read = true;
        } else if (permission == "write") {
            parsed.write = true;
        } else if (permission == "delete") {
            parsed.delete_streams = true;
        } else {
            token.fail(token.child("permissions"), path + ".permissions items must be read, write or "
                                                          "delete, got '" + permission + "'");
        }
    }
    if (!parsed.read && !parsed.write && !parsed.delete_streams) {
        token.fail(token.child("permissions"), path + ".permissions must not be empty");
    }
    if (!token.child("stream_prefixes")) {
        token.fail(node, path + ".stream_prefixes is required (a list; \"\" allows every stream)");
    }
    parsed.stream_prefixes = token.texts("stream_prefixes", {});
    if (parsed.stream_prefixes.empty()) {
        token.fail(token.child("stream_prefixes"),
                   path + ".stream_prefixes must not be empty (\"\" allows every stream)");
    }
    parsed.tenant = token.text("tenant", parsed.tenant);
    return parsed;
}

void parse_tokens(const Section& section, const std::string& key,
                  std::vector<TokenConfig>& tokens) {
    const YAML::Node list = section.child(key);
    if (!list) return;
    if (!list.IsSequence()) section.fail(list, section.qualified(key) + " must be a list of tokens");
    for (size_t i = 0; i < list.size(); ++i) {
        tokens.push_back(parse_token(list[i], section.qualified(key) + "[" + std::to_string(i) + "]",
                                     section.source()));
    }
}

}  // namespace

bool is_loopback(const std::string& listen) {
    std::string host = listen.substr(0, listen.rfind(':'));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

TlsConfig parse_tls(const Section& root, const std::string& listen,
                    const std::filesystem::path& base_dir) {
    const Section tls(root.child("tls"), "tls", {"cert_file", "key_file", "client_ca_file", "plaintext"},
                      root.source());
    TlsConfig config;
    config.cert_file = tls.file("cert_file", base_dir);
    config.key_file = tls.file("key_file", base_dir);
    config.client_ca_file = tls.file("client_ca_file", base_dir);
    config.plaintext = tls.flag("plaintext", config.plaintext);
    if (config.cert_file.empty() != config.key_file.empty()) {
        tls.fail(root.child("tls"), "tls.cert_file and tls.key_file go together: set both, or neither");
    }
    if (config.mutual() && !config.enabled()) {
        tls.fail(tls.child("client_ca_file"),
                 "tls.client_ca_file needs tls.cert_file and tls.key_file (mutual TLS is TLS)");
    }
    if (config.enabled()) {
        if (config.plaintext) {
            tls.fail(tls.child("plaintext"),
                     "tls.plaintext: true contradicts tls.cert_file: choose TLS or plaintext");
        }
        config.cert_pem = read_named_file(tls, "cert_file", config.cert_file);
        config.key_pem = read_named_file(tls, "key_file", config.key_file);
        require_ok(tls, "key_file",
                   check_key_pair(config.cert_pem, config.key_pem,
                                  "tls.cert_file " + config.cert_file.string() + " and tls.key_file " +
                                      config.key_file.string()));
        if (config.mutual()) {
            config.client_ca_pem = read_named_file(tls, "client_ca_file", config.client_ca_file);
            require_ok(tls, "client_ca_file",
                       check_certificates(config.client_ca_pem,
                                          "tls.client_ca_file " + config.client_ca_file.string()));
        }
    } else if (!config.plaintext && !is_loopback(listen)) {
        root.fail(root.child("listen"),
                  "listen " + listen +
                      " is reachable from other hosts and TLS is not configured: set tls.cert_file "
                      "and tls.key_file, or tls.plaintext: true to serve plaintext anyway");
    }
    return config;
}

AuthConfig parse_auth(const Section& root, const std::filesystem::path& base_dir) {
    const Section auth(root.child("auth"), "auth", {"enabled", "tokens", "tokens_file"}, root.source());
    AuthConfig config;
    config.enabled = auth.flag("enabled", config.enabled);
    parse_tokens(auth, "tokens", config.tokens);
    if (const std::filesystem::path file = auth.file("tokens_file", base_dir); !file.empty()) {
        const std::string source = file.string();
        YAML::Node document;
        try {
            document = YAML::Load(read_named_file(auth, "tokens_file", file));
        } catch (const YAML::Exception& e) {
            throw ConfigError{source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg};
        }
        const Section tokens_file(document, "", {"tokens"}, source);
        parse_tokens(tokens_file, "tokens", config.tokens);
    }
    std::set<std::string> names, hashes;
    for (const TokenConfig& token : config.tokens) {
        if (!names.insert(token.name).second) {
            auth.fail(root.child("auth"), "auth: two tokens are named '" + token.name + "'");
        }
        if (!hashes.insert(token.sha256).second) {
            auth.fail(root.child("auth"), "auth: tokens '" + token.name +
                                              "' and another have the same sha256");
        }
    }
    if (config.enabled && config.tokens.empty()) {
        auth.fail(auth.child("enabled"),
                  "auth.enabled is true but no token is configured (auth.tokens or auth.tokens_file)");
    }
    return config;
}

}  // namespace eventstore::server
