// The WebSocket opening handshake (cc/transport/websocket_handshake.h); any mismatch aborts.
//
// Byte 0 picks the mode (modulo 3).
// - 0: an arbitrary reply. Byte 1 seeds the chunk sizes, byte 2 the head size limit; the rest is
//   the reply. Parsed whole and in chunks, the outcome (error, done, status, headers, the bytes
//   left for the frame stream) must agree; bytes are never lost (consumed + left = given); the
//   head never exceeds its limit; a reply the checker accepts must be a 101 carrying the right
//   Sec-WebSocket-Accept.
// - 1: a plausible reply built from the input: a status line, the handshake's headers, each
//   maybe missing, duplicated, misspelt, re-cased or padded, the right or a wrong accept key,
//   other headers, then frame bytes. Same properties, plus: the checker accepts it exactly when
//   it has the required form.
// - 2: request options (path, extra headers, subprotocol) from the input. When
//   ValidateWebSocketOptions accepts them, the request must be exactly the expected lines, with
//   no control characters: no header can smuggle in another line.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cc/transport/websocket_handshake.h"
#include "tests/fuzz/fuzz_input.h"

namespace ouzel {
namespace websocket {
namespace {

constexpr char kKey[] = "dGhlIHNhbXBsZSBub25jZQ==";

struct Outcome {
  absl::Status error;
  bool done = false;
  UpgradeResponse response;
  std::string rest;
};

Outcome Parse(absl::string_view bytes, size_t max, uint8_t seed) {
  UpgradeResponseParser parser(max);
  Outcome out;
  uint32_t lcg = seed;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t chunk = bytes.size() - pos;
    if (seed != 0) {
      lcg = lcg * 1103515245u + 12345u;
      chunk = std::min(chunk, size_t{1} + (lcg >> 16) % 13);
    }
    absl::Span<const uint8_t> in(reinterpret_cast<const uint8_t*>(bytes.data()) + pos, chunk);
    pos += chunk;
    absl::StatusOr<bool> done = parser.Feed(&in);
    if (!done.ok()) {
      out.error = done.status();
      if (out.error.code() != absl::StatusCode::kDataLoss) std::abort();
      return out;
    }
    if (parser.bytes_read() > max) std::abort();
    if (*done) {
      out.done = true;
      out.rest =
          absl::StrCat(absl::string_view(reinterpret_cast<const char*>(in.data()), in.size()),
                       bytes.substr(pos));
      if (parser.bytes_read() + out.rest.size() != bytes.size()) std::abort();  // nothing lost
      break;
    }
    if (!in.empty()) std::abort();  // not done: everything given was taken
  }
  out.response = parser.response();
  return out;
}

bool Same(const Outcome& a, const Outcome& b) {
  return a.error == b.error && a.done == b.done && a.rest == b.rest &&
         a.response.status == b.response.status &&
         a.response.status_line == b.response.status_line &&
         a.response.headers == b.response.headers;
}

// Parses every way and checks the reply; returns whether it was accepted.
bool CheckAll(absl::string_view reply, size_t max, uint8_t seed) {
  const Outcome whole = Parse(reply, max, 0);
  const Outcome split = Parse(reply, max, seed | 1);
  if (!Same(whole, split)) std::abort();
  if (!whole.error.ok() || !whole.done) return false;
  WebSocketOptions options;
  const absl::Status checked = CheckUpgradeResponse(whole.response, kKey, options);
  if (!checked.ok()) {
    if (checked.message().empty()) std::abort();
    return false;
  }
  std::vector<absl::string_view> accept = whole.response.Values("sec-websocket-accept");
  if (whole.response.status != 101 || accept.size() != 1 || accept[0] != AcceptFor(kKey)) {
    std::abort();
  }
  return true;
}

std::string Recase(FuzzInput& in, std::string s) {
  if (in.Below(4) != 0) return s;
  for (char& c : s) {
    if (in.Bool())
      c = absl::ascii_isupper(static_cast<unsigned char>(c)) ? absl::ascii_tolower(c)
                                                             : absl::ascii_toupper(c);
  }
  return s;
}

std::string Space(FuzzInput& in) {
  static constexpr const char* kSpaces[] = {"", " ", "  ", "\t", " \t "};
  return in.Below(3) == 0 ? kSpaces[in.Below(5)] : " ";
}

void Structured(FuzzInput& in) {
  static constexpr const char* kStatus[] = {
      "HTTP/1.1 101 Switching Protocols", "HTTP/1.1 101",    "HTTP/1.0 101 OK",
      "HTTP/1.1 403 Forbidden",           "HTTP/1.1 200 OK", "HTTP/2 101 x"};
  const uint32_t status = in.Below(4) == 0 ? in.Below(6) : 0;
  const bool status_ok = status <= 2;
  std::string reply = kStatus[status];
  const std::string eol = in.Below(8) == 0 ? "\n" : "\r\n";
  reply += eol;

  // Each handshake header: 0 = absent, 1 = right, 2 = wrong value, 3 = twice (right). Every
  // value is drawn into a local first: argument evaluation order must not decide the input.
  auto how = [&] { return in.Below(6) == 0 ? in.Below(4) : 1u; };
  auto header = [&](const std::string& name, const std::string& right, const std::string& wrong,
                    uint32_t h) {
    if (h == 0) return;
    const std::string value = h == 2 ? wrong : right;
    const std::string spelt = Recase(in, name);
    const std::string before = Space(in);
    const std::string after = Space(in);
    reply += absl::StrCat(spelt, ":", before, value, after, eol);
    if (h == 3) reply += absl::StrCat(name, ": ", value, eol);
  };
  bool valid = status_ok;

  const uint32_t upgrade = how();
  const std::string websocket = Recase(in, "websocket");
  header("Upgrade", websocket, "h2c", upgrade);
  valid = valid && upgrade == 1;

  const uint32_t connection = how();
  const bool listed = in.Below(4) != 0;
  const bool with_keep_alive = in.Bool();
  const std::string tokens = Recase(in, with_keep_alive ? "keep-alive, upgrade" : "Upgrade");
  header("Connection", listed ? tokens : "close", "close", connection);
  valid = valid && (connection == 1 || connection == 3) && listed;

  const uint32_t accept = how();
  header("Sec-WebSocket-Accept", AcceptFor(kKey), "s3pPLMBiTxaQ9kYGzzhZRbK+xOO=", accept);
  valid = valid && accept == 1;

  const uint32_t protocol = how();
  const bool upper = in.Bool();
  header("Sec-WebSocket-Protocol", "mqtt", upper ? "MQTT" : "mqttv3.1", protocol);
  valid = valid && protocol == 1;

  if (in.Below(8) == 0) {
    reply += absl::StrCat("Sec-WebSocket-Extensions: permessage-deflate", eol);
    valid = false;
  }
  const uint32_t others = in.Below(3);
  for (uint32_t i = 0; i < others; ++i) {
    const uint32_t name = in.Below(1000);
    const std::string space = Space(in);
    reply += absl::StrCat("X-", name, ":", space, in.U16(), eol);
  }
  reply += eol;
  reply += in.String(32);  // the first frame bytes
  if (CheckAll(reply, UpgradeResponseParser::kDefaultMaxBytes, in.U8()) != valid) std::abort();
}

void Request(FuzzInput& in) {
  ServerAddress address;
  address.scheme = in.Bool() ? Scheme::kWs : Scheme::kWss;
  address.host = in.Bool() ? "broker.example" : "::1";
  address.port = in.Bool() ? DefaultPort(address.scheme) : in.U16();
  address.path = in.Bool() ? "/mqtt" : in.String(24);
  WebSocketOptions options;
  if (in.Bool()) options.subprotocol = in.String(8);
  const uint32_t n = in.Below(4);
  for (uint32_t i = 0; i < n; ++i) {
    std::string name = in.Below(4) == 0 ? "Host" : in.String(12);
    std::string value = in.String(24);
    options.headers.emplace_back(std::move(name), std::move(value));
  }
  if (!ValidateWebSocketOptions(address, options).ok()) return;
  const std::string request = BuildUpgradeRequest(address, options, kKey);
  if (!absl::EndsWith(request, "\r\n\r\n")) std::abort();
  std::vector<std::string> lines =
      absl::StrSplit(absl::string_view(request).substr(0, request.size() - 4), "\r\n");
  size_t extra = 0;
  for (const auto& [name, value] : options.headers) {
    if (!absl::EqualsIgnoreCase(name, "Host")) ++extra;
  }
  // Request line, Host, Upgrade, Connection, Key, Version, [Protocol], extras.
  const size_t expected = 6 + (options.subprotocol.empty() ? 0 : 1) + extra;
  if (lines.size() != expected) std::abort();
  if (lines[0] != absl::StrCat("GET ", address.path, " HTTP/1.1")) std::abort();
  for (const std::string& line : lines) {
    for (char c : line) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7F) std::abort();  // no control characters
    }
  }
}

}  // namespace
}  // namespace websocket
}  // namespace ouzel

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ouzel::FuzzInput in(data, size);
  switch (in.U8() % 3) {
    case 0: {
      const uint8_t seed = in.U8();
      const size_t max = 16 + size_t{in.U8()} * 64;
      ouzel::websocket::CheckAll(
          absl::string_view(reinterpret_cast<const char*>(in.rest()), in.rest_size()), max, seed);
      break;
    }
    case 1:
      ouzel::websocket::Structured(in);
      break;
    default:
      ouzel::websocket::Request(in);
      break;
  }
  return 0;
}
