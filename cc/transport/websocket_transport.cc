#include "cc/transport/websocket_transport.h"

namespace ouzel {

absl::StatusOr<std::unique_ptr<Transport>> CreateWebSocketTransport(
    std::unique_ptr<Transport> inner, const ServerAddress& address,
    const TransportOptions& options) {
  (void)inner;
  (void)address;
  (void)options;
  return absl::UnimplementedError("ws:// (WebSockets) is not implemented yet (issue 4)");
}

}  // namespace ouzel
