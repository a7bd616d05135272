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

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
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

// Plain data; copied into each transport. TLS, WebSocket and proxy settings join it (issue 4).
struct TransportOptions {
  bool tcp_nodelay = true;  // disable Nagle: MQTT packets are small and latency matters
  // Bind the local end before connecting (paho's bind_address/bind_port). Empty: any.
  // Numeric only; addresses of the other family are skipped when this is set.
  std::string bind_address;
  uint16_t bind_port = 0;
  // SO_SNDBUF / SO_RCVBUF; 0 leaves the kernel's default (and its auto-tuning) alone.
  int send_buffer_bytes = 0;
  int receive_buffer_bytes = 0;
};

// What a transport may use from its owner.
struct TransportContext {
  // Signalled when something the transport waits for without an fd completes (name resolution
  // on a helper thread). Never null when a client creates the transport.
  std::shared_ptr<Waker> waker;
  // Name resolution; null means the system resolver (see resolver.h).
  std::shared_ptr<Resolver> resolver;
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

  // Closes the stream; idempotent. fd() is -1 afterwards.
  virtual void Close() = 0;

  virtual int fd() const = 0;
  virtual IoInterest interest() const = 0;
  virtual std::optional<absl::Time> NextTimeout() const { return std::nullopt; }
  // For logs and errors: "tcp 127.0.0.1:1883" (the peer actually connected, once known).
  virtual std::string Describe() const = 0;
};

// Makes a transport for `address` (unconnected). Implemented here: mqtt/tcp and unix.
// Unimplemented, naming the scheme, for mqtts/ssl, ws and wss until issue 4 lands.
absl::StatusOr<std::unique_ptr<Transport>> CreateTransport(const ServerAddress& address,
                                                           const TransportOptions& options,
                                                           TransportContext context);

// How a client obtains transports. Applications plug in their own byte streams (or wrap the
// default) by supplying one of these; the client calls it on its loop thread for each attempt.
using TransportFactory = std::function<absl::StatusOr<std::unique_ptr<Transport>>(
    const ServerAddress& address, const TransportOptions& options, TransportContext context)>;

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_TRANSPORT_H_
