#include "cc/transport/transport.h"

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "cc/base/status_macros.h"
#include "cc/transport/proxy_transport.h"
#include "cc/transport/socket_transport.h"
#include "cc/transport/tls_transport.h"
#include "cc/transport/websocket_transport.h"

namespace ouzel {

absl::StatusOr<std::unique_ptr<Transport>> CreateTransport(const ServerAddress& address,
                                                           const TransportOptions& options,
                                                           TransportContext context) {
  if (address.scheme == Scheme::kUnix) {
    return std::unique_ptr<Transport>(new SocketTransport(address, options, std::move(context)));
  }
  OUZEL_ASSIGN_OR_RETURN(ProxyOptions proxy, EffectiveProxy(address, options));
  const bool proxied = proxy.type != ProxyOptions::Type::kNone;

  // The socket goes to the proxy when there is one, else to the broker.
  ServerAddress first_hop;
  first_hop.scheme = Scheme::kMqtt;
  first_hop.host = proxied ? proxy.host : address.host;
  first_hop.port = proxied ? proxy.port : address.port;
  std::unique_ptr<Transport> stream(new SocketTransport(first_hop, options, context));

  if (proxied) {
    OUZEL_ASSIGN_OR_RETURN(
        stream, CreateProxyTransport(std::move(stream), address, proxy, options, context));
  }
  if (IsTlsScheme(address.scheme)) {
    OUZEL_ASSIGN_OR_RETURN(stream,
                           CreateTlsTransport(std::move(stream), address, options, context));
  }
  if (address.scheme == Scheme::kWs || address.scheme == Scheme::kWss) {
    OUZEL_ASSIGN_OR_RETURN(stream, CreateWebSocketTransport(std::move(stream), address, options));
  }
  return stream;
}

}  // namespace ouzel
