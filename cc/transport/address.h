// ServerAddress: where a client connects, parsed from a URI.
//
// Accepted forms (scheme case-insensitive; no scheme means mqtt://):
//   mqtt://host[:port]   tcp://host[:port]          plain TCP, default port 1883
//   mqtts://host[:port]  ssl://host[:port]          TLS, default port 8883
//   ws://host[:port][/path]  wss://host[:port][/path]  WebSockets, default ports 80 / 443,
//                                                   default path "/mqtt"
//   unix:///abs/path  unix://rel/path  unix:@name   Unix domain socket ("@": Linux abstract name)
// Hosts are names, IPv4 literals or bracketed IPv6 literals (`[::1]:1883`, `[fe80::1%eth0]`).
// An optional `user[:password]@` before the host is split off into username/password.
//
//   OUZEL_ASSIGN_OR_RETURN(ServerAddress a, ServerAddress::Parse("mqtts://[::1]"));
//   // a.scheme == Scheme::kMqtts, a.host == "::1", a.port == 8883
#ifndef OUZEL_CC_TRANSPORT_ADDRESS_H_
#define OUZEL_CC_TRANSPORT_ADDRESS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cc/base/secret.h"

namespace ouzel {

enum class Scheme : uint8_t {
  kMqtt,   // mqtt://, tcp://
  kMqtts,  // mqtts://, ssl://
  kWs,     // ws://
  kWss,    // wss://
  kUnix,   // unix://
};

// "mqtt", "mqtts", "ws", "wss", "unix".
const char* SchemeName(Scheme scheme);
uint16_t DefaultPort(Scheme scheme);  // 0 for kUnix
bool IsTlsScheme(Scheme scheme);      // kMqtts, kWss

struct ServerAddress {
  Scheme scheme = Scheme::kMqtt;
  std::string host;  // without brackets; empty for kUnix
  uint16_t port = 0;
  // kWs/kWss: the request target ("/mqtt" unless given, query included). kUnix: the socket path.
  std::string path;
  std::optional<std::string> username;
  std::optional<SecretString> password;

  // InvalidArgument naming what is wrong and where ("port 70000 out of range in 'x:70000'").
  static absl::StatusOr<ServerAddress> Parse(absl::string_view uri);

  // The canonical URI, without the password: "mqtt://[::1]:1883", "unix:///run/mqtt.sock".
  std::string ToString() const;
  // "host:port" with IPv6 hosts bracketed, or the socket path.
  std::string HostPort() const;

  friend bool operator==(const ServerAddress& a, const ServerAddress& b) {
    return a.scheme == b.scheme && a.host == b.host && a.port == b.port && a.path == b.path &&
           a.username == b.username && a.password == b.password;
  }
  friend bool operator!=(const ServerAddress& a, const ServerAddress& b) { return !(a == b); }
};

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_ADDRESS_H_
