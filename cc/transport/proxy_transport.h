// Proxies: an HTTP CONNECT tunnel (with Basic auth) or SOCKS5 (no auth or username/password,
// RFC 1928/1929; the broker's name resolved by the proxy or locally) over a socket connected to
// the proxy. Once the tunnel is up the stream is the broker's, and TLS/WebSocket layers go on top.
// Which proxy applies (explicit options, the environment, no_proxy) is proxy_config.h; the
// handshakes themselves are http_connect.h and socks5.h.
//
// Errors (every message names the proxy and the broker it was asked to reach):
//   - refusals are TransportError(kProxy, ...): PermissionDenied for rejected or missing
//     credentials (HTTP 407, SOCKS5 "no acceptable method" or a failed username/password check);
//     Unavailable when the proxy cannot or will not reach the broker (HTTP 403/500/502/503/504,
//     each SOCKS5 reply code by name), or answers with something that is not the protocol, or
//     closes the connection during the handshake;
//   - the proxy itself unreachable: the socket's error (Unavailable "connection refused", ...),
//     with "cannot reach proxy <uri>" in front, not marked kProxy;
//   - local resolution (socks5://) failing: the resolver's NotFound/Unavailable, not marked.
//
// With socks5:// the broker's name is resolved through the context's resolver (non-blocking,
// started together with the connection to the proxy) and the first address is sent; the other
// addresses are not tried through the proxy. IP literals are sent as addresses in both modes.
#ifndef OUZEL_CC_TRANSPORT_PROXY_TRANSPORT_H_
#define OUZEL_CC_TRANSPORT_PROXY_TRANSPORT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "cc/transport/address.h"
#include "cc/transport/proxy_config.h"
#include "cc/transport/transport.h"

namespace ouzel {

// Wraps `inner` (a socket to the proxy, not yet connected) and opens a tunnel to `address`'s host
// and port. InvalidArgument (before any I/O) for what cannot be sent: a username with ':' for
// HTTP, names or credentials over 255 bytes for SOCKS5, kNone as the type.
absl::StatusOr<std::unique_ptr<Transport>> CreateProxyTransport(std::unique_ptr<Transport> inner,
                                                                const ServerAddress& address,
                                                                const ProxyOptions& proxy,
                                                                const TransportOptions& options,
                                                                const TransportContext& context);

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_PROXY_TRANSPORT_H_
