// Proxies: an HTTP CONNECT tunnel (with Basic auth) or SOCKS5 (no auth or username/password,
// RFC 1928/1929; the broker's name resolved by the proxy or locally) over a socket connected to
// the proxy. Once the tunnel is up the stream is the broker's, and TLS/WebSocket layers go on top.
//
// Refusals are TransportError(kProxy, ...): PermissionDenied for rejected credentials (HTTP 407,
// SOCKS5 auth failure or no acceptable method), Unavailable when the proxy cannot reach the
// broker (HTTP 502/503/504, SOCKS5 reply codes, each named), and the message says which proxy.
#ifndef OUZEL_CC_TRANSPORT_PROXY_TRANSPORT_H_
#define OUZEL_CC_TRANSPORT_PROXY_TRANSPORT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cc/transport/address.h"
#include "cc/transport/transport.h"

namespace ouzel {

// Parses a proxy URI: http://[user[:pass]@]host[:port] (default port 8080),
// socks5://... (local resolution) or socks5h://... (proxy resolves; default port 1080).
absl::StatusOr<ProxyOptions> ParseProxyUri(absl::string_view uri);

// The proxy to use for `address`: `options.proxy` when its type is set; otherwise, when
// `options.proxy.from_environment`, the one in mqtt_proxy/MQTT_PROXY unless no_proxy/NO_PROXY
// names the host (comma-separated hosts, domain suffixes, "*"); otherwise type kNone.
// Unix socket addresses never use a proxy.
absl::StatusOr<ProxyOptions> EffectiveProxy(const ServerAddress& address,
                                            const TransportOptions& options);

// Wraps `inner` (a socket to the proxy) and opens a tunnel to `address`'s host and port.
absl::StatusOr<std::unique_ptr<Transport>> CreateProxyTransport(std::unique_ptr<Transport> inner,
                                                                const ServerAddress& address,
                                                                const ProxyOptions& proxy,
                                                                const TransportOptions& options);

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_PROXY_TRANSPORT_H_
