// The three MQTT protocol levels Ouzel speaks, by their CONNECT "Protocol Level" byte.
#ifndef OUZEL_CC_CODEC_PROTOCOL_VERSION_H_
#define OUZEL_CC_CODEC_PROTOCOL_VERSION_H_

#include <cstdint>

namespace ouzel {

enum class ProtocolVersion : uint8_t {
  kV31 = 3,   // MQTT 3.1 ("MQIsdp")
  kV311 = 4,  // MQTT 3.1.1
  kV5 = 5,    // MQTT 5.0
};

inline bool IsV5(ProtocolVersion v) { return v == ProtocolVersion::kV5; }

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_PROTOCOL_VERSION_H_
