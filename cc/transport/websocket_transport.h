// WebSockets (RFC 6455) over another transport: ws:// and wss://.
//
// Connecting sends the HTTP/1.1 upgrade request (path from the URI, Host, a random
// Sec-WebSocket-Key, Sec-WebSocket-Version 13, Sec-WebSocket-Protocol, the extra headers) and
// validates the reply: status 101, Upgrade: websocket, Connection: upgrade,
// Sec-WebSocket-Accept matching the key, the subprotocol; anything else is
// TransportError(kWebSocket, ...) naming what was wrong (and the status line).
// Once open, MQTT bytes go out as masked binary frames (at most max_frame_bytes each); incoming
// frames may be fragmented and MQTT packets may span frames; pings are answered with pongs; a
// close frame is answered and reported as the peer closing (with its code and reason).
#ifndef OUZEL_CC_TRANSPORT_WEBSOCKET_TRANSPORT_H_
#define OUZEL_CC_TRANSPORT_WEBSOCKET_TRANSPORT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "cc/transport/address.h"
#include "cc/transport/transport.h"

namespace ouzel {

absl::StatusOr<std::unique_ptr<Transport>> CreateWebSocketTransport(
    std::unique_ptr<Transport> inner, const ServerAddress& address,
    const TransportOptions& options);

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_WEBSOCKET_TRANSPORT_H_
