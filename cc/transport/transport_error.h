// Transport failures that need their own error code at the C ABI (OUZEL_ETLS, OUZEL_EREFUSED,
// OUZEL_EPROTOCOL) carry a payload naming the layer that failed, the way busy_status.h marks
// "busy". The absl code still says what happened (Unavailable, PermissionDenied, ...).
//
//   return TransportError(TransportLayer::kTls, absl::UnavailableError(
//       "TLS handshake with localhost:8883 failed: certificate has expired"));
#ifndef OUZEL_CC_TRANSPORT_TRANSPORT_ERROR_H_
#define OUZEL_CC_TRANSPORT_TRANSPORT_ERROR_H_

#include <optional>

#include "absl/status/status.h"

namespace ouzel {

enum class TransportLayer : char {
  kTls = 't',        // handshake or verification failed  -> OUZEL_ETLS
  kWebSocket = 'w',  // upgrade refused or bad frames      -> OUZEL_EPROTOCOL
  kProxy = 'p',      // proxy refused (auth, target)       -> OUZEL_EREFUSED
};

inline constexpr char kTransportLayerPayloadUrl[] = "ouzel.dev/transport-layer";

// Returns `status` marked as a failure of `layer`. OK stays OK.
absl::Status TransportError(TransportLayer layer, absl::Status status);
// The layer `status` was marked with, if any.
std::optional<TransportLayer> FailedTransportLayer(const absl::Status& status);

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_TRANSPORT_ERROR_H_
