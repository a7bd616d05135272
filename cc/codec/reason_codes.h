// MQTT reason codes: every MQTT 5 reason code with its name, which packets may carry it, and the
// MQTT 3.1 / 3.1.1 CONNACK return codes and SUBACK return codes.
//
// Reason codes are data, not errors: a CONNACK 0x87 Not authorized is a successful decode that the
// session reports to the application. Decoders use IsValidReasonCode to reject codes a packet type
// cannot carry (a Malformed Packet).
//
//   ReasonCodeName(ReasonContext::kConnack, 0x87)     -> "Not authorized"
//   IsValidReasonCode(ReasonContext::kSuback, 0x02)   -> true (Granted QoS 2)
#ifndef OUZEL_CC_CODEC_REASON_CODES_H_
#define OUZEL_CC_CODEC_REASON_CODES_H_

#include <cstdint>

#include "absl/types/span.h"
#include "cc/codec/protocol_version.h"

namespace ouzel {

// The MQTT 5 reason codes (MQTT 5.0 §2.4 table 2-6). 0x00 has several names by packet.
enum class ReasonCode : uint8_t {
  kSuccess = 0x00,  // also Normal disconnection, Granted QoS 0
  kGrantedQos1 = 0x01,
  kGrantedQos2 = 0x02,
  kDisconnectWithWillMessage = 0x04,
  kNoMatchingSubscribers = 0x10,
  kNoSubscriptionExisted = 0x11,
  kContinueAuthentication = 0x18,
  kReAuthenticate = 0x19,
  kUnspecifiedError = 0x80,
  kMalformedPacket = 0x81,
  kProtocolError = 0x82,
  kImplementationSpecificError = 0x83,
  kUnsupportedProtocolVersion = 0x84,
  kClientIdentifierNotValid = 0x85,
  kBadUserNameOrPassword = 0x86,
  kNotAuthorized = 0x87,
  kServerUnavailable = 0x88,
  kServerBusy = 0x89,
  kBanned = 0x8A,
  kServerShuttingDown = 0x8B,
  kBadAuthenticationMethod = 0x8C,
  kKeepAliveTimeout = 0x8D,
  kSessionTakenOver = 0x8E,
  kTopicFilterInvalid = 0x8F,
  kTopicNameInvalid = 0x90,
  kPacketIdentifierInUse = 0x91,
  kPacketIdentifierNotFound = 0x92,
  kReceiveMaximumExceeded = 0x93,
  kTopicAliasInvalid = 0x94,
  kPacketTooLarge = 0x95,
  kMessageRateTooHigh = 0x96,
  kQuotaExceeded = 0x97,
  kAdministrativeAction = 0x98,
  kPayloadFormatInvalid = 0x99,
  kRetainNotSupported = 0x9A,
  kQosNotSupported = 0x9B,
  kUseAnotherServer = 0x9C,
  kServerMoved = 0x9D,
  kSharedSubscriptionsNotSupported = 0x9E,
  kConnectionRateExceeded = 0x9F,
  kMaximumConnectTime = 0xA0,
  kSubscriptionIdentifiersNotSupported = 0xA1,
  kWildcardSubscriptionsNotSupported = 0xA2,
};

// Which packet (and protocol family) a reason code is read in.
enum class ReasonContext : uint8_t {
  kConnack,  // MQTT 5 CONNACK
  kPuback,
  kPubrec,
  kPubrel,
  kPubcomp,
  kSuback,    // MQTT 5 SUBACK
  kUnsuback,  // MQTT 5 UNSUBACK
  kDisconnect,
  kAuth,
  kConnackV3,   // MQTT 3.1 / 3.1.1 CONNACK return codes 0..5 (3.1.1 §3.2.2.3)
  kSubackV311,  // MQTT 3.1.1 SUBACK: 0, 1, 2, 0x80 (§3.9.3)
  kSubackV31,   // MQTT 3.1 SUBACK: granted QoS 0, 1, 2 only
};

bool IsValidReasonCode(ReasonContext context, uint8_t code);

// The context for a CONNACK or SUBACK read or written at protocol level `v`: the 3.x return code
// tables differ from MQTT 5's reason codes.
ReasonContext ConnackReasonContext(ProtocolVersion v);
ReasonContext SubackReasonContext(ProtocolVersion v);

// The spec's name of `code` as read in `context` (0x00 is "Success", "Normal disconnection" or
// "Granted QoS 0" by packet; 3.x CONNACK codes have their own names, e.g. 0x05 "Connection
// Refused, not authorized"). "Unknown reason code" when the code is not valid there.
const char* ReasonCodeName(ReasonContext context, uint8_t code);

// Every code valid in `context`, ascending (for tests and documentation).
absl::Span<const uint8_t> ValidReasonCodes(ReasonContext context);

// True for 0x80 and above: the operation failed (MQTT 5.0 §2.4).
inline bool IsFailureReasonCode(uint8_t code) { return code >= 0x80; }

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_REASON_CODES_H_
