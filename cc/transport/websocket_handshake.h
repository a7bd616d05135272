// The WebSocket opening handshake (RFC 6455 section 4): the client's HTTP/1.1 upgrade request and
// the check of the server's reply. No I/O; websocket_transport.cc sends and receives.
//
//   OUZEL_RETURN_IF_ERROR(ValidateWebSocketOptions(address, options));
//   std::string key = NewWebSocketKey();
//   std::string request = BuildUpgradeRequest(address, options, key);
//   ... send it ...
//   UpgradeResponseParser parser;
//   absl::Span<const uint8_t> in = ...;             // bytes as they arrive, in any pieces
//   OUZEL_ASSIGN_OR_RETURN(bool done, parser.Feed(&in));
//   if (done) OUZEL_RETURN_IF_ERROR(CheckUpgradeResponse(parser.response(), key, options));
//   // `in` now holds the first bytes of the frame stream, if any came with the reply
//
// Errors say what was wrong and quote the server's status line. A reply other than 101 is
// PermissionDenied (401, 403, 407), NotFound (404) or Unavailable (anything else); a malformed or
// non-conforming reply is DataLoss. The caller marks them TransportError(kWebSocket, ...).
#ifndef OUZEL_CC_TRANSPORT_WEBSOCKET_HANDSHAKE_H_
#define OUZEL_CC_TRANSPORT_WEBSOCKET_HANDSHAKE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cc/transport/address.h"
#include "cc/transport/transport.h"

namespace ouzel {
namespace websocket {

// The GUID every server appends to the key (RFC 6455 1.3).
inline constexpr char kAcceptGuid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// Base64 (RFC 4648, with padding).
std::string Base64Encode(absl::Span<const uint8_t> bytes);
// A fresh Sec-WebSocket-Key: 16 random bytes (BoringSSL's RAND_bytes), base64.
std::string NewWebSocketKey();
// base64(SHA-1(key + GUID)): the Sec-WebSocket-Accept a server must answer `key` with.
std::string AcceptFor(absl::string_view key);

// InvalidArgument when the request could not be sent as asked: a path with spaces, control or
// non-ASCII characters, a header name that is not an HTTP token, a header value with a control
// character other than tab (CR and LF would start headers of their own), a header the handshake
// itself sets (Upgrade, Connection, Sec-WebSocket-Key, -Version, -Protocol: use `subprotocol`,
// -Extensions: none are supported, -Accept), a subprotocol that is not a token, or
// max_frame_bytes 0.
absl::Status ValidateWebSocketOptions(const ServerAddress& address,
                                      const WebSocketOptions& options);

// The request, ending with the blank line. Host is the URI's host (IPv6 bracketed), with the
// port unless it is the scheme's default; an extra "Host" header replaces it (a broker behind a
// reverse proxy may want another name). Extra headers follow the handshake's own, in order.
std::string BuildUpgradeRequest(const ServerAddress& address, const WebSocketOptions& options,
                                absl::string_view key);

struct UpgradeResponse {
  std::string status_line;  // as received, without CRLF
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names as received, values trimmed

  // Values of every header called `name` (case-insensitive), in order.
  std::vector<absl::string_view> Values(absl::string_view name) const;
};

// Reads an HTTP/1.1 response head (status line, headers, blank line) incrementally. Lines end
// with CRLF (a bare LF is accepted too). The head may be at most `max_bytes` long.
class UpgradeResponseParser {
 public:
  static constexpr size_t kDefaultMaxBytes = 16 * 1024;
  explicit UpgradeResponseParser(size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

  // Consumes bytes of the head from the front of `*input`; true once the blank line ending it
  // was read (the bytes after it stay in `*input`: they belong to the frame stream). DataLoss
  // for a malformed status line or header line, or a head longer than max_bytes; after an error
  // every call returns it again.
  absl::StatusOr<bool> Feed(absl::Span<const uint8_t>* input);

  // The status line has been read (response().status is known), possibly before the headers.
  bool has_status() const { return response_.status != 0; }
  bool done() const { return done_; }
  // Bytes of the head read so far, and the line being read (for errors when the server hangs up
  // in the middle).
  size_t bytes_read() const { return consumed_; }
  absl::string_view partial_line() const { return line_; }
  // For an error when the server hangs up early: "no reply", "a partial reply: 'HTTP/1.1 10'",
  // "the reply's status line 'HTTP/1.1 101 OK' and 2 header(s)".
  std::string DescribeProgress() const;
  const UpgradeResponse& response() const { return response_; }

 private:
  absl::Status Fail(std::string what);
  absl::Status TakeLine(absl::string_view line);

  size_t max_bytes_;
  size_t consumed_ = 0;
  std::string line_;  // the line being read, without its end
  bool done_ = false;
  absl::Status error_;
  UpgradeResponse response_;
};

// OK when `response` accepts the upgrade asked for with `key` and `options`: status 101,
// "Upgrade: websocket", a Connection header listing "upgrade" (case-insensitive tokens), the
// right Sec-WebSocket-Accept, the subprotocol offered (none when none was), no extension.
absl::Status CheckUpgradeResponse(const UpgradeResponse& response, absl::string_view key,
                                  const WebSocketOptions& options);
// The error for a status other than 101 (see the top of this file for the codes).
absl::Status UpgradeRefused(const UpgradeResponse& response);

}  // namespace websocket
}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_WEBSOCKET_HANDSHAKE_H_
