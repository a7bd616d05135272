// Which proxy a connection uses: proxy URIs, the environment (paho's mqtt_proxy / MQTT_PROXY),
// and the no_proxy exceptions. No I/O; ProxyTransport (proxy_transport.h) does the handshakes.
//
//   OUZEL_ASSIGN_OR_RETURN(ProxyOptions p, ParseProxyUri("socks5h://user:pw@127.0.0.1:1080"));
//   NoProxyMatches("localhost,.internal,10.0.0.0/8", "broker.internal", 1883);  // true
#ifndef OUZEL_CC_TRANSPORT_PROXY_CONFIG_H_
#define OUZEL_CC_TRANSPORT_PROXY_CONFIG_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cc/transport/address.h"
#include "cc/transport/transport.h"

namespace ouzel {

// Parses a proxy URI (scheme case-insensitive):
//   http://[user[:pass]@]host[:port]    HTTP CONNECT, default port 8080 (also with no scheme)
//   socks5://[user[:pass]@]host[:port]  SOCKS5, the broker's name resolved locally
//   socks5h://...  socks://...          SOCKS5, the proxy resolves the name; default port 1080
// User and password may be percent-encoded (`p%40ss` for `p@ss`). Hosts are names, IPv4 or
// bracketed IPv6 literals. A trailing "/" is accepted; any other path, query or fragment is not.
// InvalidArgument, naming what is wrong, for anything else (https:// and socks4:// proxies are
// not supported). The password never appears in the message.
absl::StatusOr<ProxyOptions> ParseProxyUri(absl::string_view uri);

// Whether `host` (a name or an IP literal, IPv6 without brackets) at `port` is exempt from the
// proxy by a no_proxy list. Entries are separated by commas or spaces and matched without regard
// to case:
//   "*"                       every host;
//   "example.com"             that host and every name below it (a.example.com);
//   ".example.com", "*.example.com"   the same (the leading dot or "*." is dropped);
//   "127.0.0.1", "::1", "[::1]"       that address (compared as addresses: "0::1" == "::1");
//   "10.0.0.0/8", "fd00::/8"  addresses in that CIDR block (only when `host` is a literal);
//   any of the above with ":port" ("[::1]:1883" for IPv6) to exempt only that port.
// Names are not resolved: "localhost" does not match "127.0.0.1".
bool NoProxyMatches(absl::string_view no_proxy, absl::string_view host, uint16_t port);

// The proxy to use for `address`:
//   - Unix sockets never use one;
//   - `options.proxy` when its type is set (InvalidArgument without a host or port, or with a
//     password but no username); no_proxy does not apply to an explicit proxy;
//   - otherwise, when `options.proxy.from_environment`, the URI in `mqtt_proxy` (or, when unset,
//     `MQTT_PROXY`), unless `no_proxy` (or `NO_PROXY`) matches the broker's host and port.
//     A variable that does not parse is an InvalidArgument naming it, never a silent direct
//     connection;
//   - otherwise type kNone (connect directly).
absl::StatusOr<ProxyOptions> EffectiveProxy(const ServerAddress& address,
                                            const TransportOptions& options);

// "http://127.0.0.1:8080", "socks5h://user@[::1]:1080": the proxy for messages (no password).
std::string DescribeProxy(const ProxyOptions& proxy);

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_PROXY_CONFIG_H_
