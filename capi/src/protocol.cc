// ouzel_reason_code_* and ouzel_property_{name,type,allowed}: the engine's reason code and property
// tables (cc/codec) looked up by the packet type numbers of the wire.
#include "ouzel/protocol.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "capi/src/status_mapping.h"
#include "cc/codec/properties.h"
#include "cc/codec/protocol_version.h"
#include "cc/codec/reason_codes.h"
#include "ouzel/errors.h"

namespace {

using ouzel::PropertyContext;
using ouzel::ReasonContext;
using ouzel::capi::Fail;

std::optional<ouzel::ProtocolVersion> Version(int32_t v) {
  switch (v) {
    case OUZEL_MQTT_V31:
      return ouzel::ProtocolVersion::kV31;
    case OUZEL_MQTT_V311:
      return ouzel::ProtocolVersion::kV311;
    case OUZEL_MQTT_V5:
      return ouzel::ProtocolVersion::kV5;
    default:
      return std::nullopt;
  }
}

// The engine's table for reason codes of `packet_type` at `version`; nullopt when that packet
// carries none there.
std::optional<ReasonContext> ReasonTable(ouzel::ProtocolVersion version, int32_t packet_type) {
  if (packet_type == OUZEL_PACKET_CONNACK) return ouzel::ConnackReasonContext(version);
  if (packet_type == OUZEL_PACKET_SUBACK) return ouzel::SubackReasonContext(version);
  if (!ouzel::IsV5(version)) return std::nullopt;
  switch (packet_type) {
    case OUZEL_PACKET_PUBACK:
      return ReasonContext::kPuback;
    case OUZEL_PACKET_PUBREC:
      return ReasonContext::kPubrec;
    case OUZEL_PACKET_PUBREL:
      return ReasonContext::kPubrel;
    case OUZEL_PACKET_PUBCOMP:
      return ReasonContext::kPubcomp;
    case OUZEL_PACKET_UNSUBACK:
      return ReasonContext::kUnsuback;
    case OUZEL_PACKET_DISCONNECT:
      return ReasonContext::kDisconnect;
    case OUZEL_PACKET_AUTH:
      return ReasonContext::kAuth;
    default:
      return std::nullopt;
  }
}

// The table of a code that is valid there, else nullopt.
std::optional<ReasonContext> TableOfValidCode(int32_t protocol_version, int32_t packet_type,
                                              int32_t code) {
  std::optional<ouzel::ProtocolVersion> v = Version(protocol_version);
  if (!v.has_value() || code < 0 || code > 255) return std::nullopt;
  std::optional<ReasonContext> table = ReasonTable(*v, packet_type);
  if (!table.has_value() || !ouzel::IsValidReasonCode(*table, static_cast<uint8_t>(code))) {
    return std::nullopt;
  }
  return table;
}

std::optional<PropertyContext> PropertyPlace(int32_t packet_type) {
  switch (packet_type) {
    case OUZEL_PACKET_CONNECT:
      return PropertyContext::kConnect;
    case OUZEL_PACKET_CONNACK:
      return PropertyContext::kConnack;
    case OUZEL_PACKET_PUBLISH:
      return PropertyContext::kPublish;
    case OUZEL_PACKET_PUBACK:
      return PropertyContext::kPuback;
    case OUZEL_PACKET_PUBREC:
      return PropertyContext::kPubrec;
    case OUZEL_PACKET_PUBREL:
      return PropertyContext::kPubrel;
    case OUZEL_PACKET_PUBCOMP:
      return PropertyContext::kPubcomp;
    case OUZEL_PACKET_SUBSCRIBE:
      return PropertyContext::kSubscribe;
    case OUZEL_PACKET_SUBACK:
      return PropertyContext::kSuback;
    case OUZEL_PACKET_UNSUBSCRIBE:
      return PropertyContext::kUnsubscribe;
    case OUZEL_PACKET_UNSUBACK:
      return PropertyContext::kUnsuback;
    case OUZEL_PACKET_DISCONNECT:
      return PropertyContext::kDisconnect;
    case OUZEL_PACKET_AUTH:
      return PropertyContext::kAuth;
    case OUZEL_PACKET_WILL_PROPERTIES:
      return PropertyContext::kWill;
    default:
      return std::nullopt;  // PINGREQ, PINGRESP: no properties
  }
}

const ouzel::PropertyInfo* FindProperty(int32_t id) {
  if (id < 0 || id > 255) return nullptr;
  return ouzel::FindPropertyInfo(static_cast<uint8_t>(id));
}

int32_t TypeCode(ouzel::PropertyType t) {
  switch (t) {
    case ouzel::PropertyType::kByte:
      return OUZEL_PROPTYPE_BYTE;
    case ouzel::PropertyType::kTwoByteInteger:
      return OUZEL_PROPTYPE_TWO_BYTE;
    case ouzel::PropertyType::kFourByteInteger:
      return OUZEL_PROPTYPE_FOUR_BYTE;
    case ouzel::PropertyType::kVariableByteInteger:
      return OUZEL_PROPTYPE_VARINT;
    case ouzel::PropertyType::kUtf8String:
      return OUZEL_PROPTYPE_UTF8;
    case ouzel::PropertyType::kBinaryData:
      return OUZEL_PROPTYPE_BINARY;
    case ouzel::PropertyType::kUtf8StringPair:
      return OUZEL_PROPTYPE_UTF8_PAIR;
  }
  return OUZEL_EINTERNAL;
}

}  // namespace

extern "C" {

OUZEL_EXTERN const char* ouzel_reason_code_name(int32_t protocol_version, int32_t packet_type,
                                                int32_t code) {
  std::optional<ReasonContext> table = TableOfValidCode(protocol_version, packet_type, code);
  if (!table.has_value()) return nullptr;
  return ouzel::ReasonCodeName(*table, static_cast<uint8_t>(code));
}

OUZEL_EXTERN int ouzel_reason_code_is_error(int32_t protocol_version, int32_t packet_type,
                                            int32_t code) {
  std::optional<ReasonContext> table = TableOfValidCode(protocol_version, packet_type, code);
  if (!table.has_value()) {
    return Fail(OUZEL_EINVAL,
                absl::StrCat("reason code ", code, " is not one packet type ", packet_type,
                             " carries at protocol version ", protocol_version));
  }
  // 3.x CONNACK return codes are 1..5 for refusals, below the 0x80 that marks failures elsewhere.
  if (*table == ReasonContext::kConnackV3) return code != 0 ? 1 : 0;
  return ouzel::IsFailureReasonCode(static_cast<uint8_t>(code)) ? 1 : 0;
}

OUZEL_EXTERN int ouzel_reason_codes(int32_t protocol_version, int32_t packet_type,
                                    const uint8_t** out, size_t* out_count) {
  if (out == nullptr || out_count == nullptr) {
    return Fail(OUZEL_EINVAL, "out and out_count must not be NULL");
  }
  *out = nullptr;
  *out_count = 0;
  std::optional<ouzel::ProtocolVersion> v = Version(protocol_version);
  if (!v.has_value()) {
    return Fail(OUZEL_EINVAL, absl::StrCat("unknown protocol version ", protocol_version,
                                           " (3: 3.1, 4: 3.1.1, 5: 5.0)"));
  }
  std::optional<ReasonContext> table = ReasonTable(*v, packet_type);
  if (!table.has_value()) {
    return Fail(OUZEL_EINVAL,
                absl::StrCat("packet type ", packet_type,
                             " carries no reason code at protocol version ", protocol_version));
  }
  absl::Span<const uint8_t> codes = ouzel::ValidReasonCodes(*table);
  *out = codes.data();
  *out_count = codes.size();
  return OUZEL_OK;
}

OUZEL_EXTERN const char* ouzel_property_name(int32_t id) {
  const ouzel::PropertyInfo* info = FindProperty(id);
  return info == nullptr ? nullptr : info->name;
}

OUZEL_EXTERN int ouzel_property_type(int32_t id) {
  const ouzel::PropertyInfo* info = FindProperty(id);
  if (info == nullptr) {
    return Fail(OUZEL_EINVAL,
                absl::StrCat("property identifier ", id, " is not defined by MQTT 5"));
  }
  return TypeCode(info->type);
}

OUZEL_EXTERN int ouzel_property_allowed(int32_t id, int32_t packet_type) {
  const ouzel::PropertyInfo* info = FindProperty(id);
  if (info == nullptr) {
    return Fail(OUZEL_EINVAL,
                absl::StrCat("property identifier ", id, " is not defined by MQTT 5"));
  }
  if (packet_type < OUZEL_PACKET_CONNECT || packet_type > OUZEL_PACKET_WILL_PROPERTIES) {
    return Fail(OUZEL_EINVAL, absl::StrCat("packet type ", packet_type, " is not 1..16"));
  }
  std::optional<PropertyContext> place = PropertyPlace(packet_type);
  if (!place.has_value()) return 0;
  return ouzel::PropertyAllowedIn(info->id, *place) ? 1 : 0;
}

}  // extern "C"
