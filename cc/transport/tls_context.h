// Internal to cc/transport: turns TlsOptions into a BoringSSL client SSL_CTX, checking every file
// and value first so that mistakes are InvalidArgument before any I/O, each naming the option and
// the file ("cannot read ca_file '/x': No such file or directory", "key_file '/k' is encrypted:
// set key_password", ...).
//
//   OUZEL_ASSIGN_OR_RETURN(TlsClientContext c, NewTlsClientContext(options.tls));
//   SSL* ssl = SSL_new(c.ctx.get());
//
// Only tls_*.cc include this header (it pulls in BoringSSL's, which need -isystem
// /usr/include/android; see BUILD.bazel).
#ifndef OUZEL_CC_TRANSPORT_TLS_CONTEXT_H_
#define OUZEL_CC_TRANSPORT_TLS_CONTEXT_H_

#include <openssl/ssl.h>

#include <string>

#include "absl/status/statusor.h"
#include "cc/transport/address.h"
#include "cc/transport/transport.h"

namespace ouzel {
namespace tls_internal {

struct TlsClientContext {
  bssl::UniquePtr<SSL_CTX> ctx;
  // Where trust comes from, for verification errors: "ca_file '/etc/x.pem'", "the system CAs
  // (/etc/ssl/certs/ca-certificates.crt, /etc/ssl/certs)", "no CA (none configured)".
  std::string trust;
  bool psk = false;  // TLS-PSK instead of certificates
};

// The SSL_CTX for one connection: versions, ciphers, trust anchors, client certificate and key,
// verification mode, partial writes. Callbacks that need the connection (verification, PSK,
// new sessions) are installed by the transport.
absl::StatusOr<TlsClientContext> NewTlsClientContext(const TlsOptions& options);

// The name the server's certificate must match and, unless it is an IP literal, the SNI.
struct TlsPeerName {
  std::string name;  // server_name, else the URI host (IPv6 without brackets or zone)
  bool is_ip = false;
};
TlsPeerName PeerNameFor(const ServerAddress& address, const TlsOptions& options);

// The key sessions are cached under: the server and every setting that decides whether a
// session made under one configuration may be resumed under another (trust, client identity,
// verification switches), since a resumed handshake skips certificate verification.
std::string SessionKeyFor(const ServerAddress& address, const TlsOptions& options);

// What decides whether a context built earlier can be used again: every option that goes into
// it and the identity (device, inode, size, modification time) of every file it read, so a
// certificate or CA bundle replaced on disk is picked up by the next connection.
std::string ContextKeyFor(const TlsOptions& options);

// "TLS 1.2" for 0x0303, ...; "0x...." for anything else.
std::string TlsVersionName(int version);

}  // namespace tls_internal
}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_TLS_CONTEXT_H_
