// The MQTT 5 Server Reference property (CONNACK or DISCONNECT with reason 0x9C Use another server
// or 0x9D Server moved) as an address to connect to.
//
// The spec leaves the format open [MQTT-4.11]; in practice it is "host", "host:port", "[v6]:port",
// a full URI, or several of those separated by spaces (the first one is used). A reference without
// a scheme keeps the scheme (and, for WebSockets, the path) of the server that sent it; without a
// port it gets that scheme's default.
//
//   ParseServerReference("other.example:1884", current) -> mqtt://other.example:1884
#ifndef OUZEL_CC_CLIENT_SERVER_REFERENCE_H_
#define OUZEL_CC_CLIENT_SERVER_REFERENCE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cc/transport/address.h"

namespace ouzel {

// InvalidArgument when the reference is empty or does not parse.
absl::StatusOr<ServerAddress> ParseServerReference(absl::string_view reference,
                                                   const ServerAddress& current);

// True for the reason codes that carry a usable Server Reference (0x9C, 0x9D).
inline bool IsRedirectReason(uint8_t reason_code) {
  return reason_code == 0x9C || reason_code == 0x9D;
}

}  // namespace ouzel

#endif  // OUZEL_CC_CLIENT_SERVER_REFERENCE_H_
