#include "cc/codec/reason_codes.h"

#include <algorithm>

namespace ouzel {
namespace {

// MQTT 5.0 Table 3-1 Connect Reason Code values (§3.2.2.2).
constexpr uint8_t kConnackCodes[] = {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86,
                                     0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97,
                                     0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F};
// Table 3-4 PUBACK (§3.4.2.1) and Table 3-5 PUBREC (§3.5.2.1): the same nine codes.
constexpr uint8_t kPubackCodes[] = {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99};
// Table 3-6 PUBREL (§3.6.2.1) and Table 3-7 PUBCOMP (§3.7.2.1).
constexpr uint8_t kPubrelCodes[] = {0x00, 0x92};
// Table 3-8 Subscribe Reason Codes (§3.9.3).
constexpr uint8_t kSubackCodes[] = {0x00, 0x01, 0x02, 0x80, 0x83, 0x87,
                                    0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2};
// Table 3-9 Unsubscribe Reason Codes (§3.11.3).
constexpr uint8_t kUnsubackCodes[] = {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91};
// Table 3-10 Disconnect Reason Code values (§3.14.2.1), plus 0x8C Bad authentication method:
// Table 2-6 lists 0x8C for DISCONNECT although Table 3-10 omits it, and a Server that rejects a
// re-authentication (§4.12.1) has no better code to say so. Refusing it as a Malformed Packet would
// only hide the Server's reason from the application.
constexpr uint8_t kDisconnectCodes[] = {0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C,
                                        0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98,
                                        0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2};
// Table 3-11 Authenticate Reason Codes (§3.15.2.1).
constexpr uint8_t kAuthCodes[] = {0x00, 0x18, 0x19};
// MQTT 3.1.1 §3.2.2.3 Table 3.1 (and MQTT 3.1 §3.2): Connect Return codes.
constexpr uint8_t kConnackV3Codes[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05};
// MQTT 3.1.1 §3.9.3: Success - Maximum QoS 0..2, Failure.
constexpr uint8_t kSubackV311Codes[] = {0x00, 0x01, 0x02, 0x80};
// MQTT 3.1 §3.9: the payload is the granted QoS levels; there is no failure code.
constexpr uint8_t kSubackV31Codes[] = {0x00, 0x01, 0x02};

template <size_t N>
constexpr bool StrictlyAscending(const uint8_t (&codes)[N]) {
  for (size_t i = 1; i < N; ++i) {
    if (codes[i - 1] >= codes[i]) return false;
  }
  return true;
}
static_assert(StrictlyAscending(kConnackCodes) && StrictlyAscending(kPubackCodes) &&
                  StrictlyAscending(kPubrelCodes) && StrictlyAscending(kSubackCodes) &&
                  StrictlyAscending(kUnsubackCodes) && StrictlyAscending(kDisconnectCodes) &&
                  StrictlyAscending(kAuthCodes) && StrictlyAscending(kConnackV3Codes) &&
                  StrictlyAscending(kSubackV311Codes) && StrictlyAscending(kSubackV31Codes),
              "ValidReasonCodes promises ascending order, and lookups rely on it");

// MQTT 5.0 Table 2-6 names. 0x00 is named by packet in ReasonCodeName.
const char* Mqtt5Name(uint8_t code) {
  switch (code) {
    case 0x01:
      return "Granted QoS 1";
    case 0x02:
      return "Granted QoS 2";
    case 0x04:
      return "Disconnect with Will Message";
    case 0x10:
      return "No matching subscribers";
    case 0x11:
      return "No subscription existed";
    case 0x18:
      return "Continue authentication";
    case 0x19:
      return "Re-authenticate";
    case 0x80:
      return "Unspecified error";
    case 0x81:
      return "Malformed Packet";
    case 0x82:
      return "Protocol Error";
    case 0x83:
      return "Implementation specific error";
    case 0x84:
      return "Unsupported Protocol Version";
    case 0x85:
      return "Client Identifier not valid";
    case 0x86:
      return "Bad User Name or Password";
    case 0x87:
      return "Not authorized";
    case 0x88:
      return "Server unavailable";
    case 0x89:
      return "Server busy";
    case 0x8A:
      return "Banned";
    case 0x8B:
      return "Server shutting down";
    case 0x8C:
      return "Bad authentication method";
    case 0x8D:
      return "Keep Alive timeout";
    case 0x8E:
      return "Session taken over";
    case 0x8F:
      return "Topic Filter invalid";
    case 0x90:
      return "Topic Name invalid";
    case 0x91:
      return "Packet Identifier in use";
    case 0x92:
      return "Packet Identifier not found";
    case 0x93:
      return "Receive Maximum exceeded";
    case 0x94:
      return "Topic Alias invalid";
    case 0x95:
      return "Packet too large";
    case 0x96:
      return "Message rate too high";
    case 0x97:
      return "Quota exceeded";
    case 0x98:
      return "Administrative action";
    case 0x99:
      return "Payload format invalid";
    case 0x9A:
      return "Retain not supported";
    case 0x9B:
      return "QoS not supported";
    case 0x9C:
      return "Use another server";
    case 0x9D:
      return "Server moved";
    case 0x9E:
      return "Shared Subscriptions not supported";
    case 0x9F:
      return "Connection rate exceeded";
    case 0xA0:
      return "Maximum connect time";
    case 0xA1:
      return "Subscription Identifiers not supported";
    case 0xA2:
      return "Wildcard Subscriptions not supported";
  }
  return "Unknown reason code";
}

// MQTT 3.1.1 §3.2.2.3 Table 3.1.
const char* ConnackV3Name(uint8_t code) {
  switch (code) {
    case 0x00:
      return "Connection Accepted";
    case 0x01:
      return "Connection Refused, unacceptable protocol version";
    case 0x02:
      return "Connection Refused, identifier rejected";
    case 0x03:
      return "Connection Refused, Server unavailable";
    case 0x04:
      return "Connection Refused, bad user name or password";
    case 0x05:
      return "Connection Refused, not authorized";
  }
  return "Unknown reason code";
}

// MQTT 3.1.1 §3.9.3.
const char* SubackV311Name(uint8_t code) {
  switch (code) {
    case 0x00:
      return "Success - Maximum QoS 0";
    case 0x01:
      return "Success - Maximum QoS 1";
    case 0x02:
      return "Success - Maximum QoS 2";
    case 0x80:
      return "Failure";
  }
  return "Unknown reason code";
}

}  // namespace

absl::Span<const uint8_t> ValidReasonCodes(ReasonContext context) {
  switch (context) {
    case ReasonContext::kConnack:
      return kConnackCodes;
    case ReasonContext::kPuback:
    case ReasonContext::kPubrec:
      return kPubackCodes;
    case ReasonContext::kPubrel:
    case ReasonContext::kPubcomp:
      return kPubrelCodes;
    case ReasonContext::kSuback:
      return kSubackCodes;
    case ReasonContext::kUnsuback:
      return kUnsubackCodes;
    case ReasonContext::kDisconnect:
      return kDisconnectCodes;
    case ReasonContext::kAuth:
      return kAuthCodes;
    case ReasonContext::kConnackV3:
      return kConnackV3Codes;
    case ReasonContext::kSubackV311:
      return kSubackV311Codes;
    case ReasonContext::kSubackV31:
      return kSubackV31Codes;
  }
  return {};
}

bool IsValidReasonCode(ReasonContext context, uint8_t code) {
  absl::Span<const uint8_t> codes = ValidReasonCodes(context);
  return std::binary_search(codes.begin(), codes.end(), code);
}

const char* ReasonCodeName(ReasonContext context, uint8_t code) {
  if (!IsValidReasonCode(context, code)) return "Unknown reason code";
  switch (context) {
    case ReasonContext::kConnackV3:
      return ConnackV3Name(code);
    case ReasonContext::kSubackV311:
      return SubackV311Name(code);
    case ReasonContext::kSuback:
    case ReasonContext::kSubackV31:
      if (code == 0x00) return "Granted QoS 0";
      break;
    case ReasonContext::kDisconnect:
      if (code == 0x00) return "Normal disconnection";
      break;
    default:
      if (code == 0x00) return "Success";
      break;
  }
  return Mqtt5Name(code);
}

ReasonContext ConnackReasonContext(ProtocolVersion v) {
  return IsV5(v) ? ReasonContext::kConnack : ReasonContext::kConnackV3;
}

ReasonContext SubackReasonContext(ProtocolVersion v) {
  switch (v) {
    case ProtocolVersion::kV31:
      return ReasonContext::kSubackV31;
    case ProtocolVersion::kV311:
      return ReasonContext::kSubackV311;
    case ProtocolVersion::kV5:
      break;
  }
  return ReasonContext::kSuback;
}

}  // namespace ouzel
