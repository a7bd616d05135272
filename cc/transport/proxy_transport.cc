#include "cc/transport/proxy_transport.h"

namespace ouzel {

absl::StatusOr<ProxyOptions> ParseProxyUri(absl::string_view uri) {
  (void)uri;
  return absl::UnimplementedError("proxies are being implemented (issue 4)");
}

absl::StatusOr<ProxyOptions> EffectiveProxy(const ServerAddress& address,
                                            const TransportOptions& options) {
  (void)address;
  return options.proxy;
}

absl::StatusOr<std::unique_ptr<Transport>> CreateProxyTransport(std::unique_ptr<Transport> inner,
                                                                const ServerAddress& address,
                                                                const ProxyOptions& proxy,
                                                                const TransportOptions& options) {
  (void)inner;
  (void)address;
  (void)proxy;
  (void)options;
  return absl::UnimplementedError("proxies are being implemented (issue 4)");
}

}  // namespace ouzel
