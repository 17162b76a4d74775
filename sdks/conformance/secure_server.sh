#!/usr/bin/env bash
# Makes what the SDKs' TLS + token tests need, in the folder DIR (created if missing):
#   ca.crt                    the CA every certificate below is signed by (what a client trusts)
#   server.crt, server.key    the server's certificate, for 127.0.0.1 and localhost
#   client.crt, client.key    a client certificate, for mutual TLS
#   writer.token              a token that may read and write every stream
#   reader.token              a token that may only read
#   admin.token               a token that may read, write and delete (the stream lifecycle's changes)
#   secure.yaml               the `tls` and `auth` sections of an eventstored config using them
#                             (mutual TLS when called with --mutual), to append to a config whose
#                             `listen` is on 127.0.0.1
# Usage: secure_server.sh DIR [--mutual]. Needs the openssl command (Debian's openssl).
set -euo pipefail
dir=$1
mutual=${2:-}
mkdir -p "$dir"
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }
sign() { # NAME SUBJECT EXTENSIONS
  key "$1.key"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
    -out "$1.crt" -extfile "$1.ext" 2>/dev/null
}
key ca.key
openssl req -x509 -new -key ca.key -out ca.crt -days 2 -subj /CN=eventstore-sdk-test-ca 2>/dev/null
sign server /CN=eventstore 'subjectAltName=IP:127.0.0.1,DNS:localhost'
sign client /CN=sdk-test-client 'extendedKeyUsage=clientAuth'
chmod 600 ./*.key
# sha256sum hashes the file's bytes: write the tokens without a newline.
writer=$(openssl rand -hex 32) reader=$(openssl rand -hex 32) admin=$(openssl rand -hex 32)
printf %s "$writer" > writer.token
printf %s "$reader" > reader.token
printf %s "$admin" > admin.token
hash() { printf %s "$1" | sha256sum | cut -c1-64; }
{
  printf 'tls:\n  cert_file: %s/server.crt\n  key_file: %s/server.key\n' "$PWD" "$PWD"
  [[ $mutual == --mutual ]] && printf '  client_ca_file: %s/ca.crt\n' "$PWD"
  printf 'auth:\n  enabled: true\n  tokens:\n'
  printf '    - {name: writer, sha256: %s, permissions: [read, write], stream_prefixes: [""]}\n' "$(hash "$writer")"
  printf '    - {name: reader, sha256: %s, permissions: [read], stream_prefixes: [""]}\n' "$(hash "$reader")"
  printf '    - {name: admin, sha256: %s, permissions: [read, write, delete], stream_prefixes: [""]}\n' "$(hash "$admin")"
} > secure.yaml
