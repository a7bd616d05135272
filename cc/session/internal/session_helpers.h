// Helpers the session_*.cc files share (formatting, CONNECT from options, ack packets). Internal
// to cc/session.
#ifndef OUZEL_CC_SESSION_INTERNAL_SESSION_HELPERS_H_
#define OUZEL_CC_SESSION_INTERNAL_SESSION_HELPERS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "cc/codec/packets.h"
#include "cc/session/session_options.h"

namespace ouzel {
namespace session_internal {

// "0x8D": a reason code as error messages show it.
inline std::string Hex2(uint8_t b) { return absl::StrCat("0x", absl::Hex(b, absl::kZeroPad2)); }

// The CONNECT for these options.
ConnectPacket BuildConnect(const SessionOptions& o, const std::string& client_id, bool clean_start);

template <typename T>
T MakeAck(uint16_t packet_id, uint8_t reason_code) {
  T ack;
  ack.packet_id = packet_id;
  ack.reason_code = reason_code;
  return ack;
}

}  // namespace session_internal
}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_INTERNAL_SESSION_HELPERS_H_
