#include "cc/transport/websocket_handshake.h"

#include <openssl/base64.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace ouzel {
namespace websocket {
namespace {

// Headers the handshake writes itself; setting them as extra headers would break it.
constexpr const char* kReservedHeaders[] = {
    "Upgrade",
    "Connection",
    "Sec-WebSocket-Key",
    "Sec-WebSocket-Version",
    "Sec-WebSocket-Protocol",
    "Sec-WebSocket-Extensions",
    "Sec-WebSocket-Accept",
};

// RFC 9110 5.6.2 tchar.
bool IsTokenChar(char c) {
  if (absl::ascii_isalnum(static_cast<unsigned char>(c))) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool IsToken(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

// For quoting what a server sent in an error: escaped, and cut at 200 characters.
std::string Quote(absl::string_view s) {
  constexpr size_t kMax = 200;
  std::string out = absl::CHexEscape(s.substr(0, kMax));
  if (s.size() > kMax) out += "...";
  return absl::StrCat("'", out, "'");
}

absl::Status Rejected(const UpgradeResponse& response, absl::string_view problem) {
  return absl::DataLossError(absl::StrCat("WebSocket upgrade failed: ", problem,
                                          " (reply: ", Quote(response.status_line), ")"));
}

std::string HostHeader(const ServerAddress& address) {
  std::string host = address.host;
  if (host.find(':') != std::string::npos) {
    // An IPv6 literal; a zone id's '%' is written "%25" (RFC 6874).
    host = absl::StrCat("[", absl::StrReplaceAll(host, {{"%", "%25"}}), "]");
  }
  if (address.port != DefaultPort(address.scheme)) absl::StrAppend(&host, ":", address.port);
  return host;
}

}  // namespace

std::string Base64Encode(absl::Span<const uint8_t> bytes) {
  size_t size = 0;
  if (!EVP_EncodedLength(&size, bytes.size())) return std::string();
  std::string out(size, '\0');
  size_t written = EVP_EncodeBlock(reinterpret_cast<uint8_t*>(&out[0]), bytes.data(), bytes.size());
  out.resize(written);  // without the NUL EVP_EncodeBlock adds
  return out;
}

std::string NewWebSocketKey() {
  uint8_t nonce[16];
  RAND_bytes(nonce, sizeof(nonce));  // always succeeds in BoringSSL (aborts otherwise)
  return Base64Encode(nonce);
}

std::string AcceptFor(absl::string_view key) {
  std::string input = absl::StrCat(key, kAcceptGuid);
  uint8_t digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const uint8_t*>(input.data()), input.size(), digest);
  return Base64Encode(digest);
}

absl::Status ValidateWebSocketOptions(const ServerAddress& address,
                                      const WebSocketOptions& options) {
  for (char c : address.path) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F) {
      return absl::InvalidArgumentError(
          absl::StrCat("WebSocket path ", Quote(address.path),
                       " contains a space, control or non-ASCII character; percent-encode it"));
    }
  }
  if (address.path.empty() || address.path.front() != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("WebSocket path ", Quote(address.path), " must start with '/'"));
  }
  if (options.max_frame_bytes == 0) {
    return absl::InvalidArgumentError("WebSocket max_frame_bytes must be at least 1");
  }
  if (!options.subprotocol.empty() && !IsToken(options.subprotocol)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "WebSocket subprotocol ", Quote(options.subprotocol), " is not an HTTP token"));
  }
  for (const auto& [name, value] : options.headers) {
    if (!IsToken(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("WebSocket header name ", Quote(name), " is not an HTTP token"));
    }
    // RFC 9110 5.5: no control characters but HTAB; CR and LF would start a header of their own.
    for (char c : value) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7F) {
        return absl::InvalidArgumentError(
            absl::StrCat("WebSocket header ", name, " value ", Quote(value),
                         " contains a control character (CR, LF, NUL, ...)"));
      }
    }
    for (const char* reserved : kReservedHeaders) {
      if (absl::EqualsIgnoreCase(name, reserved)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "WebSocket header ", name,
            " is set by the handshake itself and cannot be given as an extra header",
            absl::EqualsIgnoreCase(name, "Sec-WebSocket-Protocol") ? " (use subprotocol)" : ""));
      }
    }
  }
  return absl::OkStatus();
}

std::string BuildUpgradeRequest(const ServerAddress& address, const WebSocketOptions& options,
                                absl::string_view key) {
  std::string host = HostHeader(address);
  for (const auto& [name, value] : options.headers) {
    if (absl::EqualsIgnoreCase(name, "Host")) host = value;
  }
  std::string out = absl::StrCat("GET ", address.path, " HTTP/1.1\r\nHost: ", host,
                                 "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Key: ",
                                 key, "\r\nSec-WebSocket-Version: 13\r\n");
  if (!options.subprotocol.empty()) {
    absl::StrAppend(&out, "Sec-WebSocket-Protocol: ", options.subprotocol, "\r\n");
  }
  for (const auto& [name, value] : options.headers) {
    if (absl::EqualsIgnoreCase(name, "Host")) continue;
    absl::StrAppend(&out, name, ": ", value, "\r\n");
  }
  out += "\r\n";
  return out;
}

std::vector<absl::string_view> UpgradeResponse::Values(absl::string_view name) const {
  std::vector<absl::string_view> out;
  for (const auto& [n, v] : headers) {
    if (absl::EqualsIgnoreCase(n, name)) out.push_back(v);
  }
  return out;
}

absl::Status UpgradeResponseParser::Fail(std::string what) {
  error_ = absl::DataLossError(absl::StrCat("WebSocket upgrade failed: ", what));
  return error_;
}

absl::Status UpgradeResponseParser::TakeLine(absl::string_view line) {
  if (response_.status == 0) {
    // HTTP-version SP 3DIGIT SP reason-phrase (RFC 9112 4); the reason may be empty.
    int status = 0;
    const bool ok = line.size() >= 12 && absl::StartsWith(line, "HTTP/") &&
                    absl::ascii_isdigit(line[5]) && line[6] == '.' &&
                    absl::ascii_isdigit(line[7]) && line[8] == ' ' &&
                    std::all_of(line.begin() + 9, line.begin() + 12,
                                [](char c) { return absl::ascii_isdigit(c); }) &&
                    (line.size() == 12 || line[12] == ' ') &&
                    absl::SimpleAtoi(line.substr(9, 3), &status) && status >= 100;
    if (!ok) {
      return Fail(absl::StrCat("the reply does not start with an HTTP status line: ", Quote(line)));
    }
    response_.status_line = std::string(line);
    response_.status = status;
    return absl::OkStatus();
  }
  if (line.front() == ' ' || line.front() == '\t') {
    return Fail(absl::StrCat("obsolete header line folding in the reply: ", Quote(line)));
  }
  size_t colon = line.find(':');
  if (colon == absl::string_view::npos || !IsToken(line.substr(0, colon))) {
    return Fail(absl::StrCat("malformed header line in the reply: ", Quote(line)));
  }
  response_.headers.emplace_back(std::string(line.substr(0, colon)),
                                 std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  return absl::OkStatus();
}

absl::StatusOr<bool> UpgradeResponseParser::Feed(absl::Span<const uint8_t>* input) {
  if (!error_.ok()) return error_;
  while (!done_ && !input->empty()) {
    const auto* begin = reinterpret_cast<const char*>(input->data());
    absl::string_view chunk(begin, input->size());
    const size_t newline = chunk.find('\n');
    const size_t take = newline == absl::string_view::npos ? chunk.size() : newline + 1;
    if (take > max_bytes_ - consumed_) {
      return Fail(absl::StrCat("the reply's header is longer than ", max_bytes_, " bytes",
                               response_.status != 0
                                   ? absl::StrCat(" (reply: ", Quote(response_.status_line), ")")
                                   : std::string()));
    }
    consumed_ += take;
    input->remove_prefix(take);
    if (newline == absl::string_view::npos) {
      line_.append(chunk.data(), take);
      break;
    }
    line_.append(chunk.data(), newline);
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (line_.empty()) {
      if (response_.status == 0) return Fail("the reply starts with an empty line");
      done_ = true;
      break;
    }
    absl::Status s = TakeLine(line_);
    line_.clear();
    if (!s.ok()) return s;
  }
  return done_;
}

std::string UpgradeResponseParser::DescribeProgress() const {
  if (consumed_ == 0) return "no reply";
  if (response_.status == 0) return absl::StrCat("a partial reply: ", Quote(line_));
  return absl::StrCat("the reply's status line ", Quote(response_.status_line), " and ",
                      response_.headers.size(), " header(s)");
}

absl::Status UpgradeRefused(const UpgradeResponse& response) {
  std::string message = absl::StrCat("WebSocket upgrade refused: ", Quote(response.status_line));
  switch (response.status) {
    case 401:
    case 403:
    case 407:
      return absl::PermissionDeniedError(message);
    case 404:
      return absl::NotFoundError(message);
    default:
      return absl::UnavailableError(message);
  }
}

absl::Status CheckUpgradeResponse(const UpgradeResponse& response, absl::string_view key,
                                  const WebSocketOptions& options) {
  if (response.status != 101) return UpgradeRefused(response);

  std::vector<absl::string_view> upgrade = response.Values("Upgrade");
  if (upgrade.empty()) return Rejected(response, "no Upgrade header");
  if (upgrade.size() != 1 || !absl::EqualsIgnoreCase(upgrade[0], "websocket")) {
    return Rejected(response,
                    absl::StrCat("Upgrade header is ", Quote(absl::StrJoin(upgrade, ", ")),
                                 ", not 'websocket'"));
  }

  std::vector<absl::string_view> connection = response.Values("Connection");
  bool lists_upgrade = false;
  for (absl::string_view value : connection) {
    for (absl::string_view token : absl::StrSplit(value, ',')) {
      if (absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(token), "upgrade")) {
        lists_upgrade = true;
      }
    }
  }
  if (connection.empty()) return Rejected(response, "no Connection header");
  if (!lists_upgrade) {
    return Rejected(response,
                    absl::StrCat("Connection header ", Quote(absl::StrJoin(connection, ", ")),
                                 " does not list 'upgrade'"));
  }

  std::vector<absl::string_view> accept = response.Values("Sec-WebSocket-Accept");
  const std::string expected = AcceptFor(key);
  if (accept.empty()) return Rejected(response, "no Sec-WebSocket-Accept header");
  if (accept.size() != 1 || accept[0] != expected) {
    return Rejected(response,
                    absl::StrCat("Sec-WebSocket-Accept ", Quote(absl::StrJoin(accept, ", ")),
                                 " does not match the key sent (expected '", expected, "')"));
  }

  std::vector<absl::string_view> extensions = response.Values("Sec-WebSocket-Extensions");
  for (absl::string_view value : extensions) {
    if (!value.empty()) {
      return Rejected(response, absl::StrCat("the server chose extension ", Quote(value),
                                             ", but none was offered"));
    }
  }

  std::vector<absl::string_view> protocol = response.Values("Sec-WebSocket-Protocol");
  const std::string chosen = absl::StrJoin(protocol, ", ");
  if (options.subprotocol.empty()) {
    if (!protocol.empty()) {
      return Rejected(response, absl::StrCat("the server chose subprotocol ", Quote(chosen),
                                             ", but none was offered"));
    }
  } else if (protocol.empty()) {
    return Rejected(response,
                    absl::StrCat("the server did not accept subprotocol '", options.subprotocol,
                                 "' (no Sec-WebSocket-Protocol header)"));
  } else if (protocol.size() != 1 || protocol[0] != options.subprotocol) {
    return Rejected(response, absl::StrCat("the server chose subprotocol ", Quote(chosen),
                                           ", not the '", options.subprotocol, "' offered"));
  }
  return absl::OkStatus();
}

}  // namespace websocket
}  // namespace ouzel
