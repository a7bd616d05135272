// The SOCKS5 client handshake without I/O: RFC 1928 (method negotiation, CONNECT) and RFC 1929
// (username/password sub-negotiation). ProxyTransport (proxy_transport.cc) moves the bytes; the
// tests drive this class with every reply a proxy can give, including garbage and truncation.
//
//   Socks5Handshake h(Socks5Target::Name("broker.example", 1883), "user", "pass");
//   send(h.TakeOutput());
//   while (!h.done()) { absl::StatusOr<size_t> used = h.Feed(received); send(h.TakeOutput()); }
//   // bytes after the reply belong to the tunnel
#ifndef OUZEL_CC_TRANSPORT_SOCKS5_H_
#define OUZEL_CC_TRANSPORT_SOCKS5_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cc/base/secret.h"
#include "cc/transport/resolver.h"

namespace ouzel {

// Where the proxy is asked to connect: a host name the proxy resolves (socks5h), or an address
// resolved locally (socks5).
struct Socks5Target {
  enum class Kind : uint8_t { kName = 3, kIpv4 = 1, kIpv6 = 4 } kind = Kind::kName;
  std::string host;  // kName: the name; otherwise the address bytes (4 or 16)
  uint16_t port = 0;

  static Socks5Target Name(absl::string_view name, uint16_t port);
  // From a resolved IPv4 or IPv6 address; InvalidArgument for other families.
  static absl::StatusOr<Socks5Target> Address(const ResolvedAddress& address);
  // "broker.example:1883", "127.0.0.1:1883", "[::1]:1883".
  std::string ToString() const;
};

// "general SOCKS server failure", "connection not allowed by ruleset", ... (RFC 1928 §6), or
// "unassigned reply code 0x0a".
std::string Socks5ReplyName(uint8_t reply);

class Socks5Handshake {
 public:
  // Offers "no authentication", plus "username/password" when `username` is not empty.
  // The password is zeroed once the credentials message is built; TakeOutput's result holds
  // it then, and the caller wipes that (WipeString) once sent.
  Socks5Handshake(Socks5Target target, std::string username, SecretString password);

  // InvalidArgument when something cannot be encoded: a name or a credential longer than 255
  // bytes, an empty name. Check before sending anything.
  absl::Status Validate() const;

  // Bytes to send now (the greeting at first, then the credentials or the request).
  std::string TakeOutput();

  // Consumes reply bytes; returns how many it used (never past the CONNECT reply, so the rest
  // belongs to the tunnel). Errors:
  //   PermissionDenied: no acceptable method (0xFF), credentials rejected (RFC 1929 status != 0);
  //   Unavailable: a CONNECT reply code (each named, see Socks5ReplyName), or a malformed reply
  //     (not version 5, a method that was not offered, an unknown address type).
  absl::StatusOr<size_t> Feed(absl::string_view bytes);

  bool done() const { return stage_ == Stage::kDone; }
  // Whether the proxy chose username/password (valid once past method selection).
  bool authenticated() const { return authenticated_; }
  // What the proxy reported as its bound address, once done() ("127.0.0.1:40000").
  const std::string& bound_address() const { return bound_; }

 private:
  enum class Stage : uint8_t { kMethod, kAuth, kReply, kDone, kFailed };

  absl::StatusOr<size_t> FeedMethod(absl::string_view bytes);
  absl::StatusOr<size_t> FeedAuth(absl::string_view bytes);
  absl::StatusOr<size_t> FeedReply(absl::string_view bytes);
  void QueueRequest();
  absl::Status Fail(absl::Status status);

  Socks5Target target_;
  std::string username_;
  SecretString password_;
  Stage stage_ = Stage::kMethod;
  std::string output_;
  std::string input_;  // the part of the current reply received so far
  bool authenticated_ = false;
  std::string bound_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_SOCKS5_H_
