// Errors the codec reports, carrying what the session needs to react as the spec requires.
//
// A packet received from the network that breaks a rule is reported as absl::StatusCode::kDataLoss
// with a message naming the rule and the byte offset in the packet, and a payload holding the MQTT
// 5 reason code the session must disconnect with (0x81 Malformed Packet, 0x82 Protocol Error, 0x95
// Packet Too Large). Bad input to an encoder is kInvalidArgument and never carries a reason code:
// nothing was received, so nothing is to be disconnected.
//
//   absl::Status s = decoder.Next(input).status();
//   if (std::optional<uint8_t> rc = DisconnectReasonOf(s)) SendDisconnect(*rc);
#ifndef OUZEL_CC_CODEC_CODEC_ERROR_H_
#define OUZEL_CC_CODEC_CODEC_ERROR_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ouzel {

// MQTT 5 reason codes used for disconnecting after a bad packet.
inline constexpr uint8_t kReasonMalformedPacket = 0x81;
inline constexpr uint8_t kReasonProtocolError = 0x82;
inline constexpr uint8_t kReasonTopicAliasInvalid = 0x94;
inline constexpr uint8_t kReasonPacketTooLarge = 0x95;

// The offset to pass for a violation found after decoding (e.g. a PUBACK for an id never sent):
// the packet is well-formed, so no byte is to blame and the message names none.
inline constexpr size_t kNoOffset = static_cast<size_t>(-1);

// `rule` is the spec's conformance id ("MQTT-1.5.5-1") or, where the spec states a rule without an
// id, its section ("5.0 §2.2.2.2"). `offset` is the byte offset from the start of the packet.
absl::Status MalformedPacketError(absl::string_view rule, size_t offset, absl::string_view detail);
absl::Status ProtocolErrorAt(absl::string_view rule, size_t offset, absl::string_view detail);
absl::Status PacketTooLargeError(size_t size, size_t limit);
// For rules whose violation calls for a more specific reason code (e.g. 0x94 Topic Alias invalid).
absl::Status DecodeErrorWithReason(uint8_t reason, absl::string_view rule, size_t offset,
                                   absl::string_view detail);

// The reason code a decode failure calls for, or nullopt for statuses that did not come from
// decoding received bytes.
std::optional<uint8_t> DisconnectReasonOf(const absl::Status& status);

// An encoder input error: what is wrong with the packet the caller asked to build.
absl::Status EncodeError(absl::string_view detail);

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_CODEC_ERROR_H_
