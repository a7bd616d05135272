#include "cc/transport/transport_error.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/types/optional.h"

namespace ouzel {

absl::Status TransportError(TransportLayer layer, absl::Status status) {
  if (status.ok()) return status;
  status.SetPayload(kTransportLayerPayloadUrl,
                    absl::Cord(std::string(1, static_cast<char>(layer))));
  return status;
}

std::optional<TransportLayer> FailedTransportLayer(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kTransportLayerPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  std::string text(*payload);
  if (text.size() != 1) return std::nullopt;
  switch (text[0]) {
    case 't':
      return TransportLayer::kTls;
    case 'w':
      return TransportLayer::kWebSocket;
    case 'p':
      return TransportLayer::kProxy;
  }
  return std::nullopt;
}

}  // namespace ouzel
