// Transport: a non-blocking byte stream to a broker, driven by whoever runs the client's loop.
//
// One interface covers every way of reaching a broker (TCP, Unix sockets, and, later, TLS,
// WebSockets, proxies and application-supplied streams), so the client never changes when a
// transport is added. A transport never blocks and never starts a thread of its own that touches
// the socket; it exposes what a poll loop needs instead:
//   - fd():        the descriptor to poll (may change while connecting, e.g. when the next
//                  resolved address is tried; -1 while there is nothing to poll, e.g. during name
//                  resolution, when completion is signalled through the context's Waker);
//   - interest():  which readiness the transport itself is waiting for. While connecting that may
//                  be write (TCP connect, a TLS ClientHello or WebSocket upgrade request to send)
//                  or read (a handshake reply). Once open it is read, plus write when the
//                  transport holds bytes of its own to flush (TLS records, WebSocket frames). The
//                  driver adds write whenever it has application bytes pending;
//   - NextTimeout(): when ContinueConnect must be called even without readiness (per-address
//                  connect timeouts, handshake timeouts).
//
// A transport with no descriptor at all (an application stream driven by readiness callbacks)
// keeps fd() at -1 and wakes the driver through TransportContext::waker instead: while connecting
// the driver then calls ContinueConnect, once open it retries Write and calls Read while
// HasBufferedInput() is true. So the transport wakes the waker when it becomes readable or
// writable, and reports buffered input.
//
// Lifecycle (all calls from the one thread that currently drives the client):
//   StartConnect(now, deadline)            // never blocks
//   while (!*ContinueConnect(now)) poll(fd(), interest(), NextTimeout() / waker)
//   Read()/Write()/Flush() until an error or Close()
//
//   auto t = CreateTransport(address, options, context);
//   OUZEL_RETURN_IF_ERROR((*t)->StartConnect(now, now + absl::Seconds(10)));
#ifndef OUZEL_CC_TRANSPORT_TRANSPORT_H_
#define OUZEL_CC_TRANSPORT_TRANSPORT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "cc/base/secret.h"
#include "cc/transport/address.h"
#include "cc/transport/waker.h"

namespace ouzel {

class Resolver;

// Readiness a transport waits for. A bit set.
enum class IoInterest : uint8_t { kNone = 0, kRead = 1, kWrite = 2, kReadWrite = 3 };
inline IoInterest operator|(IoInterest a, IoInterest b) {
  return static_cast<IoInterest>(static_cast<uint8_t>(a) | static_cast<uint8_t>(b));
}
inline bool WantsRead(IoInterest i) { return (static_cast<uint8_t>(i) & 1) != 0; }
inline bool WantsWrite(IoInterest i) { return (static_cast<uint8_t>(i) & 2) != 0; }

// What a verification callback sees.
struct TlsVerifyInfo {
  std::string host;                    // the name checked (server_name or URI host)
  std::vector<std::string> chain_der;  // peer chain, leaf first, DER bytes
  bool preverified = false;            // the library's verdict (chain + host name)
  std::string error;                   // why not, when !preverified ("certificate has expired")
};

// TLS settings (mqtts://, ssl://, wss://). See tls_transport.h for how each is applied.
struct TlsOptions {
  // Trust anchors. When both are empty and use_system_cas is true, the system's default CA
  // store is used (Debian: /etc/ssl/certs/ca-certificates.crt and /etc/ssl/certs).
  std::string ca_file;  // PEM bundle
  std::string ca_path;  // directory of hashed PEM certificates (c_rehash layout)
  bool use_system_cas = true;
  // Client certificate (PEM chain) and private key (PEM; encrypted keys need key_password).
  std::string cert_file;
  std::string key_file;
  SecretString key_password;  // zeroed in every copy when it is destroyed
  // Verification. Both on by default; turning off verify_peer also skips the host name check
  // (the explicit insecure opt-out, paho's tls_insecure_set(True) turns off only the name check).
  bool verify_peer = true;
  bool verify_hostname = true;
  // Name for SNI and the host name check; empty means the host of the server URI. SNI is not
  // sent for IP literals (RFC 6066); the check then matches the certificate's IP SANs.
  std::string server_name;
  std::vector<std::string> alpn;  // protocols offered, e.g. {"mqtt"}; empty sends no ALPN
  // Versions as TLS1_2_VERSION-style numbers (0x0303 = TLS 1.2, 0x0304 = TLS 1.3); 0 = default
  // (minimum TLS 1.2, maximum the library's newest).
  uint16_t min_version = 0;
  uint16_t max_version = 0;
  std::string cipher_list;  // OpenSSL cipher string for TLS <= 1.2; empty keeps the defaults
  // TLS-PSK (TLS 1.2 PSK cipher suites): set both to use a pre-shared key instead of
  // certificates; the key is raw bytes (mosquitto's psk = hex decoded).
  std::string psk_identity;
  SecretString psk_key;
  // Resume TLS sessions across reconnects to the same server (tickets / session ids kept in the
  // client's TlsSessionCache, see TransportContext). Saves a full handshake per reconnect.
  bool session_resumption = true;
  // Called once per handshake after the library's own verification, with its verdict; the
  // returned status decides (OK accepts even a chain the library rejected; an error fails the
  // handshake with that message). Runs on the loop thread; must not call into the client.
  std::function<absl::Status(const TlsVerifyInfo& info)> verify_callback;
};

// WebSocket settings (ws://, wss://). The request path comes from the URI (default "/mqtt").
struct WebSocketOptions {
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
  std::string subprotocol = "mqtt";  // Sec-WebSocket-Protocol offered and required back
  // Largest frame payload sent; longer MQTT packets span several frames. Incoming frames and
  // messages up to max_message_bytes are accepted (0 = no limit beyond the MQTT one).
  size_t max_frame_bytes = 64 * 1024;
  size_t max_message_bytes = 0;
};

// Proxy settings. kNone connects directly.
struct ProxyOptions {
  enum class Type : uint8_t { kNone, kHttpConnect, kSocks5 } type = Type::kNone;
  std::string host;
  uint16_t port = 0;
  std::string username;  // empty: no authentication
  SecretString password;
  // SOCKS5: send the broker's host name to the proxy (socks5h, the default) instead of
  // resolving it locally and sending an address. HTTP CONNECT always sends the name.
  bool remote_dns = true;
  // When type is kNone and this is true, take the proxy from the environment the way paho
  // does: `mqtt_proxy` / `MQTT_PROXY` (a URI: http://[user:pass@]host:port,
  // socks5://..., socks5h://...), unless the broker host matches `no_proxy` / `NO_PROXY`.
  bool from_environment = false;
};

// Plain data; copied into each transport.
struct TransportOptions {
  bool tcp_nodelay = true;  // disable Nagle: MQTT packets are small and latency matters
  // Bind the local end before connecting (paho's bind_address/bind_port). Empty: any.
  // Numeric only; addresses of the other family are skipped when this is set.
  std::string bind_address;
  uint16_t bind_port = 0;
  // SO_SNDBUF / SO_RCVBUF; 0 leaves the kernel's default (and its auto-tuning) alone.
  int send_buffer_bytes = 0;
  int receive_buffer_bytes = 0;
  TlsOptions tls;
  WebSocketOptions websocket;
  ProxyOptions proxy;
  // Time allowed for each layer's handshake (TLS, WebSocket upgrade, proxy) within the overall
  // connect deadline.
  absl::Duration handshake_timeout = absl::Seconds(30);
};

class TlsSessionCache;  // tls_transport.h

// What a transport may use from its owner.
struct TransportContext {
  // Signalled when something the transport waits for without an fd completes (name resolution
  // on a helper thread). Never null when a client creates the transport.
  std::shared_ptr<Waker> waker;
  // Name resolution; null means the system resolver (see resolver.h).
  std::shared_ptr<Resolver> resolver;
  // TLS state kept across reconnects (sessions to resume, the BoringSSL context); owned by the
  // client so it outlives each transport. Null: nothing is kept (no resumption, and every
  // connection re-reads its certificate and CA files).
  std::shared_ptr<TlsSessionCache> tls_sessions;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Begins connecting; never blocks. `deadline` bounds the whole connection (resolution, every
  // address tried, handshakes): past it, ContinueConnect fails with DeadlineExceeded.
  virtual absl::Status StartConnect(absl::Time now, absl::Time deadline) = 0;
  // Makes what progress it can; call it when fd() is ready for interest(), when the context's
  // Waker fired, or at NextTimeout(). True once the stream is ready for MQTT. Errors:
  // Unavailable (refused, reset, unreachable: all addresses tried, each one's reason in the
  // message), DeadlineExceeded, NotFound (the host name does not resolve), Unimplemented, ...
  // After an error the transport is closed.
  virtual absl::StatusOr<bool> ContinueConnect(absl::Time now) = 0;

  // Reads up to buffer.size() bytes. 0 means nothing is available now (would block);
  // Unavailable when the peer closed the stream ("connection closed by peer") or it failed.
  virtual absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) = 0;
  // Writes a prefix of `data`; returns its length, 0 when the transport cannot take more now.
  // Bytes accepted are the transport's to deliver (a later Flush may be needed, see interest()).
  // The next call after a short write passes the remaining bytes (plus possibly more) again.
  virtual absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) = 0;
  // Pushes out bytes the transport buffered itself (TLS records, WebSocket frames). Called when
  // fd() is writable and interest() asks for write. Plain sockets buffer nothing.
  virtual absl::Status Flush() { return absl::OkStatus(); }
  // True when Read would return data without fd() becoming readable (TLS records already
  // decrypted). The driver then reads again without polling.
  virtual bool HasBufferedInput() const { return false; }
  // The driver is about to wait with nothing to send: what was read since the last write is to
  // be acknowledged now. A TCP transport then sends its ACK at once (TCP_QUICKACK) rather than
  // delaying it (up to 40 ms on Linux) in the hope of a reply to carry it: a broker with Nagle's
  // algorithm on (Mosquitto's default) holds its next small packet until that ACK arrives, so a
  // delayed ACK stalls request/response traffic by ~40 ms. Costs nothing (no system call) when
  // nothing was read, or a write since the read carried the ACK. The default does nothing.
  virtual void AcknowledgeNow() {}

  // Closes the stream; idempotent. fd() is -1 afterwards.
  virtual void Close() = 0;

  virtual int fd() const = 0;
  virtual IoInterest interest() const = 0;
  virtual std::optional<absl::Time> NextTimeout() const { return std::nullopt; }
  // For logs and errors: "tcp 127.0.0.1:1883" (the peer actually connected, once known).
  virtual std::string Describe() const = 0;
};

// Makes a transport for `address` (unconnected): a socket to the broker (or to the proxy), then
// the layers the scheme and options ask for, innermost first:
//   socket -> [proxy handshake] -> [TLS for mqtts/wss] -> [WebSocket for ws/wss] -> MQTT
absl::StatusOr<std::unique_ptr<Transport>> CreateTransport(const ServerAddress& address,
                                                           const TransportOptions& options,
                                                           TransportContext context);

// How a client obtains transports. Applications plug in their own byte streams (or wrap the
// default) by supplying one of these; the client calls it on its loop thread for each attempt.
using TransportFactory = std::function<absl::StatusOr<std::unique_ptr<Transport>>(
    const ServerAddress& address, const TransportOptions& options, TransportContext context)>;

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_TRANSPORT_H_
