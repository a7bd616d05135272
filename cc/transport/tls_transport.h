// TLS over another transport, with BoringSSL: mqtts://, ssl:// and the TLS under wss://.
//
// Applies TlsOptions (transport.h): trust anchors (file, directory, system default), client
// certificate and key (optionally encrypted), chain and host name verification (on by default;
// IP literals match IP SANs), SNI, ALPN, version bounds, cipher list, TLS-PSK, the application's
// verification callback, and session resumption through a TlsSessionCache shared across the
// client's reconnects. Handshake failures are TransportError(kTls, ...) whose message names the
// reason: "certificate has expired", "unable to get local issuer certificate" (unknown CA),
// "host name mismatch: certificate is for ..., not ...", "peer did not return a certificate"
// (the broker's side, seen as an alert), "PSK identity unknown", ...
#ifndef OUZEL_CC_TRANSPORT_TLS_TRANSPORT_H_
#define OUZEL_CC_TRANSPORT_TLS_TRANSPORT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "cc/transport/address.h"
#include "cc/transport/transport.h"

namespace ouzel {

// TLS state a client keeps across its reconnects. Thread-safe; one per client (see
// TransportContext::tls_sessions):
//   - sessions to resume, keyed by server (host:port + server name) and the verification
//     settings, used when TlsOptions::session_resumption is on;
//   - the last BoringSSL context built from the TlsOptions, reused while the options and the
//     files they name (size, mtime, inode) are unchanged: parsing Debian's system CA bundle alone
//     costs about 12 ms per connection attempt.
class TlsSessionCache {
 public:
  TlsSessionCache();
  ~TlsSessionCache();
  TlsSessionCache(const TlsSessionCache&) = delete;
  TlsSessionCache& operator=(const TlsSessionCache&) = delete;

  // Counters for tests and benchmarks: handshakes that offered a cached session / that the
  // server accepted (resumed).
  uint64_t offered() const;
  uint64_t resumed() const;
  // Transports that built a new context / reused the cached one.
  uint64_t contexts_built() const;
  uint64_t contexts_reused() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// Wraps `inner` (connected, or connecting, to `address`'s broker or a proxy tunnel to it).
// InvalidArgument (before any I/O) for unreadable or invalid certificate/key/CA files, a wrong key
// password, an unknown cipher list or bad version bounds.
absl::StatusOr<std::unique_ptr<Transport>> CreateTlsTransport(std::unique_ptr<Transport> inner,
                                                              const ServerAddress& address,
                                                              const TransportOptions& options,
                                                              const TransportContext& context);

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_TLS_TRANSPORT_H_
