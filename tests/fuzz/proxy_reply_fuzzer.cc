// Proxy replies (cc/transport: HttpConnectReply, Socks5Handshake, ProxyTransport); any mismatch
// aborts.
//
// Byte 0 picks the mode (modulo 3); byte 1 seeds the chunk sizes (0: whole).
// - 0: an HTTP CONNECT reply. Parsed whole and in chunks, the outcome (error, done, status code
//   and line, Proxy-Authenticate, the bytes left for the tunnel) must agree; nothing is consumed
//   past the head, nothing lost; the head never exceeds its limit; a done reply either opens the
//   tunnel (2xx) or has a refusal whose message starts with its status line.
// - 1: SOCKS5 replies. Byte 2 picks the target (name, IPv4, IPv6; modulo 3) and whether
//   credentials are offered (bit 2). Fed whole and in chunks, the outcome (error, done,
//   authenticated, bound address, bytes left, everything the client sent) must agree; what the
//   client sent is the start of the expected exchange (greeting, RFC 1929 credentials only when
//   that method was chosen, the CONNECT request for the target), all of it once done; after an
//   error the handshake stays failed.
// - 2: a whole ProxyTransport (HTTP or SOCKS5, byte 2) over a scripted inner stream that returns
//   the input in chunks: the handshake must end (open, or an error) once the input is used up,
//   and once open, reading the tunnel gives exactly the bytes after the reply.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cc/transport/address.h"
#include "cc/transport/http_connect.h"
#include "cc/transport/proxy_transport.h"
#include "cc/transport/socks5.h"
#include "cc/transport/transport.h"

namespace ouzel {
namespace {

constexpr char kUser[] = "user";
constexpr char kPassword[] = "pw";

// Splits `bytes` into chunks of 1..13 bytes from `seed` (0: one chunk).
std::vector<absl::string_view> Chunks(absl::string_view bytes, uint8_t seed) {
  std::vector<absl::string_view> out;
  uint32_t lcg = seed;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t n = bytes.size() - pos;
    if (seed != 0) {
      lcg = lcg * 1103515245u + 12345u;
      n = std::min(n, size_t{1} + (lcg >> 16) % 13);
    }
    out.push_back(bytes.substr(pos, n));
    pos += n;
  }
  return out;
}

// ---- HTTP CONNECT
// --------------------------------------------------------------------------------

struct HttpOutcome {
  absl::Status error;
  bool done = false;
  int status = 0;
  std::string line, authenticate, rest;
};

HttpOutcome ParseHttp(absl::string_view bytes, uint8_t seed) {
  HttpConnectReply reply;
  HttpOutcome out;
  size_t consumed = 0;
  for (absl::string_view chunk : Chunks(bytes, seed)) {
    if (reply.done()) {
      absl::StatusOr<size_t> more = reply.Feed(chunk);
      if (!more.ok() || *more != 0) std::abort();  // done takes nothing more
      continue;
    }
    absl::StatusOr<size_t> used = reply.Feed(chunk);
    if (!used.ok()) {
      out.error = used.status();
      return out;
    }
    if (*used > chunk.size()) std::abort();
    if (!reply.done() && *used != chunk.size()) std::abort();  // not done: all of it taken
    consumed += *used;
    if (consumed > HttpConnectReply::kMaxHeadBytes) std::abort();
  }
  out.done = reply.done();
  if (!out.done) return out;
  out.status = reply.status_code();
  out.line = reply.status_line();
  out.authenticate = reply.proxy_authenticate();
  out.rest = std::string(bytes.substr(consumed));
  if (reply.tunnel_open() != (out.status >= 200 && out.status < 300)) std::abort();
  if (!reply.tunnel_open()) {
    for (bool credentials : {false, true}) {
      absl::Status refusal = reply.Refusal(credentials);
      if (refusal.ok() || !absl::StartsWith(refusal.message(), out.line)) std::abort();
    }
  }
  return out;
}

void FuzzHttp(absl::string_view bytes, uint8_t seed) {
  HttpOutcome whole = ParseHttp(bytes, 0);
  HttpOutcome chunked = ParseHttp(bytes, seed);
  if (whole.error != chunked.error || whole.done != chunked.done ||
      whole.status != chunked.status || whole.line != chunked.line ||
      whole.authenticate != chunked.authenticate || whole.rest != chunked.rest) {
    std::abort();
  }
}

// ---- SOCKS5
// --------------------------------------------------------------------------------------

Socks5Target TargetFor(uint8_t config) {
  switch (config % 3) {
    case 0:
      return Socks5Target::Name("broker.example", 1883);
    case 1: {
      Socks5Target t;
      t.kind = Socks5Target::Kind::kIpv4;
      t.host = std::string("\x7f\x00\x00\x01", 4);
      t.port = 8883;
      return t;
    }
    default: {
      Socks5Target t;
      t.kind = Socks5Target::Kind::kIpv6;
      t.host = std::string(15, '\0') + "\x01";
      t.port = 443;
      return t;
    }
  }
}

struct SocksOutcome {
  absl::Status error;
  bool done = false;
  bool authenticated = false;
  std::string bound, rest, sent;
};

// What the client sends, in order: greeting, credentials (only when the proxy chose
// username/password), the CONNECT request for the target.
std::string ExpectedSocksOutput(const Socks5Target& target, bool credentials, bool authenticated) {
  std::string out =
      credentials ? std::string("\x05\x02\x00\x02", 4) : std::string("\x05\x01\x00", 3);
  if (authenticated) {
    absl::StrAppend(&out, "\x01", std::string(1, sizeof(kUser) - 1), kUser,
                    std::string(1, sizeof(kPassword) - 1), kPassword);
  }
  absl::StrAppend(&out, "\x05\x01", std::string(1, '\0'),
                  std::string(1, static_cast<char>(target.kind)));
  if (target.kind == Socks5Target::Kind::kName) {
    out.push_back(static_cast<char>(target.host.size()));
  }
  absl::StrAppend(&out, target.host, std::string(1, static_cast<char>(target.port >> 8)),
                  std::string(1, static_cast<char>(target.port & 0xff)));
  return out;
}

SocksOutcome ParseSocks(absl::string_view bytes, uint8_t seed, uint8_t config) {
  const bool credentials = (config & 4) != 0;
  const Socks5Target target = TargetFor(config);
  Socks5Handshake h(target, credentials ? kUser : "", credentials ? kPassword : "");
  if (!h.Validate().ok()) std::abort();
  SocksOutcome out;
  out.sent = h.TakeOutput();
  size_t consumed = 0;
  for (absl::string_view chunk : Chunks(bytes, seed)) {
    if (h.done()) break;
    absl::StatusOr<size_t> used = h.Feed(chunk);
    if (!used.ok()) {
      out.error = used.status();
      const absl::StatusCode code = out.error.code();
      if (code != absl::StatusCode::kUnavailable && code != absl::StatusCode::kPermissionDenied) {
        std::abort();
      }
      absl::StatusOr<size_t> again = h.Feed("x");
      if (again.ok() || again.status().code() != absl::StatusCode::kFailedPrecondition) {
        std::abort();  // a failed handshake stays failed
      }
      out.sent += h.TakeOutput();  // what it queued before the error, as the chunked run did
      out.authenticated = h.authenticated();
      break;
    }
    if (*used > chunk.size()) std::abort();
    if (!h.done() && *used != chunk.size()) std::abort();
    consumed += *used;
    out.sent += h.TakeOutput();
  }
  out.done = h.done();
  out.authenticated = h.authenticated();
  // Everything sent is the start of the expected exchange, all of it once done.
  const std::string expected = ExpectedSocksOutput(target, credentials, out.authenticated);
  if (!absl::StartsWith(expected, out.sent) || (out.done && out.sent != expected)) std::abort();
  if (out.authenticated && !credentials) std::abort();  // never a method that was not offered
  if (out.done) {
    out.bound = h.bound_address();
    out.rest = std::string(bytes.substr(consumed));
  }
  return out;
}

void FuzzSocks(absl::string_view bytes, uint8_t seed, uint8_t config) {
  SocksOutcome whole = ParseSocks(bytes, 0, config);
  SocksOutcome chunked = ParseSocks(bytes, seed, config);
  if (whole.error != chunked.error || whole.done != chunked.done ||
      whole.authenticated != chunked.authenticated || whole.bound != chunked.bound ||
      whole.rest != chunked.rest || whole.sent != chunked.sent) {
    std::abort();
  }
}

// ---- ProxyTransport over a scripted stream
// -------------------------------------------------------

// The proxy's side: returns the script in chunks, takes every byte written.
class ScriptedStream final : public Transport {
 public:
  explicit ScriptedStream(std::vector<absl::string_view> chunks) : chunks_(std::move(chunks)) {}
  absl::Status StartConnect(absl::Time, absl::Time) override { return absl::OkStatus(); }
  absl::StatusOr<bool> ContinueConnect(absl::Time) override { return true; }
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override {
    if (next_ == chunks_.size()) return absl::UnavailableError("connection closed by peer");
    absl::string_view c = chunks_[next_];
    const size_t n = std::min(buffer.size(), c.size());
    std::memcpy(buffer.data(), c.data(), n);
    if (n == c.size()) {
      ++next_;
    } else {
      chunks_[next_] = c.substr(n);
    }
    return n;
  }
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override { return data.size(); }
  void Close() override {}
  int fd() const override { return -1; }
  IoInterest interest() const override { return IoInterest::kRead; }
  std::string Describe() const override { return "script"; }

 private:
  std::vector<absl::string_view> chunks_;
  size_t next_ = 0;
};

void FuzzTransport(absl::string_view bytes, uint8_t seed, uint8_t config) {
  absl::StatusOr<ServerAddress> broker = ServerAddress::Parse("mqtt://broker.example:1883");
  if (!broker.ok()) std::abort();
  ProxyOptions proxy;
  proxy.type = (config & 1) ? ProxyOptions::Type::kSocks5 : ProxyOptions::Type::kHttpConnect;
  proxy.host = "127.0.0.1";
  proxy.port = 3128;
  if (config & 2) {
    proxy.username = kUser;
    proxy.password = kPassword;
  }
  std::vector<absl::string_view> chunks = Chunks(bytes, seed);
  const size_t chunk_count = chunks.size();
  absl::StatusOr<std::unique_ptr<Transport>> t =
      CreateProxyTransport(std::make_unique<ScriptedStream>(std::move(chunks)), *broker, proxy,
                           TransportOptions(), TransportContext());
  if (!t.ok()) std::abort();
  const absl::Time now = absl::UnixEpoch();
  if (!(*t)->StartConnect(now, now + absl::Seconds(10)).ok()) std::abort();
  // Each step reads what the stream has; one more than the chunks sees its end.
  absl::StatusOr<bool> open = false;
  for (size_t i = 0; i <= chunk_count + 1 && open.ok() && !*open; ++i) {
    open = (*t)->ContinueConnect(now);
  }
  if (open.ok() && !*open) std::abort();  // the input ran out and the handshake did not end
  if (!open.ok()) return;
  // The tunnel carries what followed the reply, then the end of the stream.
  std::string tunnel;
  uint8_t buffer[64];
  for (size_t i = 0; i <= bytes.size() + 1; ++i) {
    absl::StatusOr<size_t> n = (*t)->Read(absl::MakeSpan(buffer));
    if (!n.ok()) break;
    tunnel.append(reinterpret_cast<const char*>(buffer), *n);
  }
  if (tunnel.size() > bytes.size() || !absl::EndsWith(bytes, tunnel)) std::abort();
  // The bytes before the tunnel's are exactly the reply: parse them alone and nothing is left.
  const absl::string_view reply = bytes.substr(0, bytes.size() - tunnel.size());
  if (proxy.type == ProxyOptions::Type::kHttpConnect) {
    HttpOutcome o = ParseHttp(reply, 0);
    if (!o.done || !o.rest.empty() || o.status < 200 || o.status >= 300) std::abort();
  } else {
    SocksOutcome o = ParseSocks(reply, 0, (config & 2) ? 6 : 0);  // a name; credentials
    if (!o.done || !o.rest.empty()) std::abort();
  }
}

}  // namespace
}  // namespace ouzel

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const absl::string_view rest(reinterpret_cast<const char*>(data) + 3, size - 3);
  switch (data[0] % 3) {
    case 0:
      ouzel::FuzzHttp(rest, data[1]);
      break;
    case 1:
      ouzel::FuzzSocks(rest, data[1], data[2]);
      break;
    default:
      ouzel::FuzzTransport(rest, data[1], data[2]);
      break;
  }
  return 0;
}
