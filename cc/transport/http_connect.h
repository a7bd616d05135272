// The HTTP CONNECT handshake (RFC 9110 §9.3.6) without I/O: the request a client sends to open a
// tunnel through an HTTP proxy, and an incremental parser for the proxy's answer. The transport
// that moves the bytes is ProxyTransport (proxy_transport.cc); keeping the protocol apart lets the
// tests feed it every malformed, truncated and refusing reply byte by byte.
//
//   std::string request = HttpConnectRequest("broker.example", 1883, "user", "pass");
//   HttpConnectReply reply;
//   absl::StatusOr<size_t> used = reply.Feed(bytes);   // repeat until reply.done()
//   // bytes after *used belong to the tunnel (the broker's first bytes)
#ifndef OUZEL_CC_TRANSPORT_HTTP_CONNECT_H_
#define OUZEL_CC_TRANSPORT_HTTP_CONNECT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ouzel {

// Checks what goes into the request line and headers: no control characters or spaces in the
// host, and a username without ':' (RFC 7617 cannot carry one). InvalidArgument otherwise.
absl::Status ValidateHttpConnectTarget(absl::string_view host, absl::string_view username,
                                       absl::string_view password);

// "CONNECT host:port HTTP/1.1" with Host (IPv6 literals bracketed) and, when `username` is not
// empty, "Proxy-Authorization: Basic base64(username:password)". Validate first. The result holds
// the credentials: wipe it (WipeString) once sent.
std::string HttpConnectRequest(absl::string_view host, uint16_t port, absl::string_view username,
                               absl::string_view password);

// Parses the proxy's response head. Interim 1xx responses are skipped; any 2xx opens the tunnel
// (a 2xx answer to CONNECT has no body, RFC 9110). Nothing past the empty line that ends the
// head is consumed: those bytes are the broker's.
class HttpConnectReply {
 public:
  // A response head longer than this is refused (a proxy that never ends its headers cannot make
  // the client buffer without bound).
  static constexpr size_t kMaxHeadBytes = 16 * 1024;

  // Consumes bytes of the response and returns how many it used. Once done() it consumes nothing
  // more. Errors (the status line is not HTTP, the head is too long or contains a NUL byte) say
  // what was received, quoted and cut short.
  absl::StatusOr<size_t> Feed(absl::string_view bytes);

  bool done() const { return done_; }
  // Valid once done().
  int status_code() const { return status_code_; }
  const std::string& status_line() const { return status_line_; }  // without CRLF
  // The value of the first Proxy-Authenticate header, or empty.
  const std::string& proxy_authenticate() const { return proxy_authenticate_; }
  bool tunnel_open() const { return done_ && status_code_ >= 200 && status_code_ < 300; }

  // The refusal of a done() reply that did not open the tunnel, as a status whose message starts
  // with the status line: PermissionDenied for 407 and 401 (with what the proxy asked for and
  // whether credentials were sent; tinyproxy answers wrong credentials with 401), Unavailable for
  // everything else (403 forbidden, 502/503/504 the proxy could not reach the broker, 500 and
  // others).
  absl::Status Refusal(bool sent_credentials) const;

 private:
  absl::Status ParseHead(absl::string_view head);

  std::string head_;  // bytes of the current response head so far
  bool done_ = false;
  int status_code_ = 0;
  std::string status_line_;
  std::string proxy_authenticate_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_HTTP_CONNECT_H_
