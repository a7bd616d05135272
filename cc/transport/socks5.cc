#include "cc/transport/socks5.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace ouzel {
namespace {

constexpr uint8_t kVersion = 5;
constexpr uint8_t kAuthVersion = 1;  // RFC 1929
constexpr uint8_t kMethodNone = 0x00;
constexpr uint8_t kMethodGssapi = 0x01;
constexpr uint8_t kMethodUserPass = 0x02;
constexpr uint8_t kMethodNoneAcceptable = 0xFF;
constexpr uint8_t kCommandConnect = 0x01;
constexpr size_t kMaxField = 255;  // one length byte

std::string Hex(uint8_t b) { return absl::StrCat("0x", absl::Hex(b, absl::kZeroPad2)); }

uint8_t At(const std::string& s, size_t i) { return static_cast<uint8_t>(s[i]); }

// Appends up to `want - buffer->size()` bytes of `bytes` to `buffer`; returns how many.
size_t Take(std::string* buffer, size_t want, absl::string_view bytes) {
  if (buffer->size() >= want) return 0;
  size_t n = std::min(want - buffer->size(), bytes.size());
  buffer->append(bytes.data(), n);
  return n;
}

std::string AddressToString(int family, const void* bytes, uint16_t port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(family, bytes, text, sizeof(text)) == nullptr) return "?";
  return family == AF_INET6 ? absl::StrCat("[", text, "]:", port) : absl::StrCat(text, ":", port);
}

}  // namespace

Socks5Target Socks5Target::Name(absl::string_view name, uint16_t port) {
  Socks5Target t;
  t.kind = Kind::kName;
  t.host = std::string(name);
  t.port = port;
  return t;
}

absl::StatusOr<Socks5Target> Socks5Target::Address(const ResolvedAddress& address) {
  Socks5Target t;
  if (address.family() == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address.storage);
    t.kind = Kind::kIpv4;
    t.host.assign(reinterpret_cast<const char*>(&in->sin_addr), 4);
    t.port = ntohs(in->sin_port);
    return t;
  }
  if (address.family() == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address.storage);
    t.kind = Kind::kIpv6;
    t.host.assign(reinterpret_cast<const char*>(&in6->sin6_addr), 16);
    t.port = ntohs(in6->sin6_port);
    return t;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("SOCKS5 can only carry IPv4 and IPv6 addresses, not family ", address.family()));
}

std::string Socks5Target::ToString() const {
  switch (kind) {
    case Kind::kIpv4:
      return AddressToString(AF_INET, host.data(), port);
    case Kind::kIpv6:
      return AddressToString(AF_INET6, host.data(), port);
    case Kind::kName:
      break;
  }
  return absl::StrCat(host, ":", port);
}

std::string Socks5ReplyName(uint8_t reply) {
  switch (reply) {
    case 0x00:
      return "succeeded";
    case 0x01:
      return "general SOCKS server failure";
    case 0x02:
      return "connection not allowed by ruleset";
    case 0x03:
      return "network unreachable";
    case 0x04:
      return "host unreachable";
    case 0x05:
      return "connection refused";
    case 0x06:
      return "TTL expired";
    case 0x07:
      return "command not supported";
    case 0x08:
      return "address type not supported";
    default:
      return absl::StrCat("unassigned reply code ", Hex(reply));
  }
}

Socks5Handshake::Socks5Handshake(Socks5Target target, std::string username, SecretString password)
    : target_(std::move(target)), username_(std::move(username)), password_(std::move(password)) {
  output_.push_back(static_cast<char>(kVersion));
  if (username_.empty()) {
    output_.push_back(1);
    output_.push_back(static_cast<char>(kMethodNone));
  } else {
    output_.push_back(2);
    output_.push_back(static_cast<char>(kMethodNone));
    output_.push_back(static_cast<char>(kMethodUserPass));
  }
}

absl::Status Socks5Handshake::Validate() const {
  if (target_.kind == Socks5Target::Kind::kName) {
    if (target_.host.empty()) return absl::InvalidArgumentError("SOCKS5: the broker host is empty");
    if (target_.host.size() > kMaxField) {
      return absl::InvalidArgumentError(absl::StrCat(
          "SOCKS5 carries host names of at most 255 bytes; this one has ", target_.host.size()));
    }
  }
  if (username_.size() > kMaxField || password_.size() > kMaxField) {
    return absl::InvalidArgumentError(
        "SOCKS5 username and password are limited to 255 bytes each (RFC 1929)");
  }
  if (username_.empty() && !password_.empty()) {
    return absl::InvalidArgumentError("SOCKS5: a password was given without a username");
  }
  return absl::OkStatus();
}

std::string Socks5Handshake::TakeOutput() { return std::exchange(output_, std::string()); }

absl::Status Socks5Handshake::Fail(absl::Status status) {
  stage_ = Stage::kFailed;
  return status;
}

absl::StatusOr<size_t> Socks5Handshake::Feed(absl::string_view bytes) {
  if (stage_ == Stage::kFailed) {
    return absl::FailedPreconditionError("the SOCKS5 handshake already failed");
  }
  size_t used = 0;
  while (used < bytes.size() && stage_ != Stage::kDone) {
    absl::string_view rest = bytes.substr(used);
    absl::StatusOr<size_t> n = stage_ == Stage::kMethod ? FeedMethod(rest)
                               : stage_ == Stage::kAuth ? FeedAuth(rest)
                                                        : FeedReply(rest);
    if (!n.ok()) return Fail(n.status());
    used += *n;
  }
  return used;
}

absl::StatusOr<size_t> Socks5Handshake::FeedMethod(absl::string_view bytes) {
  size_t n = Take(&input_, 2, bytes);
  if (At(input_, 0) != kVersion) {
    std::string hint = input_[0] == 'H' ? " (an HTTP proxy? use http://)" : "";
    return absl::UnavailableError(absl::StrCat(
        "not a SOCKS5 proxy: its answer to the greeting starts with ", Hex(At(input_, 0)), hint));
  }
  if (input_.size() < 2) return n;
  const uint8_t method = At(input_, 1);
  input_.clear();
  if (method == kMethodNone) {
    QueueRequest();
    return n;
  }
  if (method == kMethodUserPass && !username_.empty()) {
    authenticated_ = true;
    output_.push_back(static_cast<char>(kAuthVersion));
    output_.push_back(static_cast<char>(username_.size()));
    output_.append(username_);
    output_.push_back(static_cast<char>(password_.size()));
    output_.append(password_.data(), password_.size());
    password_.clear();
    stage_ = Stage::kAuth;
    return n;
  }
  if (method == kMethodNoneAcceptable) {
    return absl::PermissionDeniedError(
        username_.empty()
            ? "the proxy accepts no offered authentication method (offered: none); it probably "
              "requires a username and password"
            : "the proxy accepts no offered authentication method (offered: none, "
              "username/password)");
  }
  std::string name = method == kMethodGssapi     ? " (GSSAPI)"
                     : method == kMethodUserPass ? " (username/password)"
                                                 : "";
  return absl::UnavailableError(absl::StrCat("the proxy chose authentication method ", Hex(method),
                                             name, ", which was not offered"));
}

absl::StatusOr<size_t> Socks5Handshake::FeedAuth(absl::string_view bytes) {
  size_t n = Take(&input_, 2, bytes);
  // RFC 1929 says version 1; some servers answer with 5. Either is accepted.
  if (At(input_, 0) != kAuthVersion && At(input_, 0) != kVersion) {
    return absl::UnavailableError(absl::StrCat("malformed username/password reply: version ",
                                               Hex(At(input_, 0)), ", expected 0x01"));
  }
  if (input_.size() < 2) return n;
  const uint8_t status = At(input_, 1);
  input_.clear();
  if (status != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("the proxy rejected the username and password for '",
                     absl::CHexEscape(username_), "' (status ", Hex(status), ")"));
  }
  QueueRequest();
  return n;
}

void Socks5Handshake::QueueRequest() {
  output_.push_back(static_cast<char>(kVersion));
  output_.push_back(static_cast<char>(kCommandConnect));
  output_.push_back(0);  // reserved
  output_.push_back(static_cast<char>(target_.kind));
  if (target_.kind == Socks5Target::Kind::kName) {
    output_.push_back(static_cast<char>(target_.host.size()));
  }
  output_.append(target_.host);
  output_.push_back(static_cast<char>(target_.port >> 8));
  output_.push_back(static_cast<char>(target_.port & 0xff));
  stage_ = Stage::kReply;
}

absl::StatusOr<size_t> Socks5Handshake::FeedReply(absl::string_view bytes) {
  // VER REP RSV ATYP BND.ADDR BND.PORT; the address's length depends on ATYP.
  size_t n = Take(&input_, 4, bytes);
  if (At(input_, 0) != kVersion) {
    return absl::UnavailableError(
        absl::StrCat("malformed CONNECT reply: version ", Hex(At(input_, 0)), ", expected 0x05"));
  }
  if (input_.size() >= 2 && At(input_, 1) != 0) {
    // A refusal is final whatever follows; some proxies close without the rest of the reply.
    const uint8_t reply = At(input_, 1);
    std::string hint;
    if (reply == 0x08 && target_.kind == Socks5Target::Kind::kName) {
      hint = "; the proxy does not resolve names: use socks5:// to resolve locally";
    }
    return absl::UnavailableError(absl::StrCat("the proxy could not connect to ",
                                               target_.ToString(), ": ", Socks5ReplyName(reply),
                                               " (reply ", Hex(reply), ")", hint));
  }
  if (input_.size() < 4) return n;
  size_t total = 0;
  switch (At(input_, 3)) {
    case 0x01:
      total = 4 + 4 + 2;
      break;
    case 0x04:
      total = 4 + 16 + 2;
      break;
    case 0x03:
      n += Take(&input_, 5, bytes.substr(n));
      if (input_.size() < 5) return n;
      total = 5 + At(input_, 4) + 2;
      break;
    default:
      return absl::UnavailableError(absl::StrCat("malformed CONNECT reply: address type ",
                                                 Hex(At(input_, 3)), " is not 1, 3 or 4"));
  }
  n += Take(&input_, total, bytes.substr(n));
  if (input_.size() < total) return n;
  const uint16_t port = static_cast<uint16_t>((At(input_, total - 2) << 8) | At(input_, total - 1));
  switch (At(input_, 3)) {
    case 0x01:
      bound_ = AddressToString(AF_INET, input_.data() + 4, port);
      break;
    case 0x04:
      bound_ = AddressToString(AF_INET6, input_.data() + 4, port);
      break;
    default:
      bound_ = absl::StrCat(input_.substr(5, At(input_, 4)), ":", port);
      break;
  }
  input_.clear();
  stage_ = Stage::kDone;
  return n;
}

}  // namespace ouzel
