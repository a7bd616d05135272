#include "cc/codec/decode.h"

#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cc/base/status_macros.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/properties.h"
#include "cc/codec/reason_codes.h"
#include "cc/codec/wire_reader.h"

namespace ouzel {
namespace {

// Rule citations: the conformance id where the spec gives one, else "MQTT-<version> §<section>".
// MQTT 3.1 (IBM) has no conformance ids; where 3.1.1 restated a 3.1 rule its id is used for both.
const char* ByVersion(ProtocolVersion v, const char* v5, const char* v3) {
  return IsV5(v) ? v5 : v3;
}

std::string Hex2(uint8_t b) { return absl::StrCat("0x", absl::Hex(b, absl::kZeroPad2)); }

bool IsKnownVersion(ProtocolVersion v) {
  return v == ProtocolVersion::kV31 || v == ProtocolVersion::kV311 || v == ProtocolVersion::kV5;
}

// Reads a Packet Identifier, which is never 0 where a packet has one: the sender of PUBLISH,
// SUBSCRIBE and UNSUBSCRIBE picks a non-zero one and acknowledgements repeat it.
absl::StatusOr<uint16_t> ReadPacketId(WireReader& r, PacketType type) {
  const size_t at = r.offset();
  OUZEL_ASSIGN_OR_RETURN(uint16_t id, r.ReadU16());
  if (id != 0) return id;
  const ProtocolVersion v = r.version();
  const char* rule;
  switch (type) {
    case PacketType::kPuback:
    case PacketType::kPubrec:
    case PacketType::kPubrel:
      rule = ByVersion(v, "MQTT-2.2.1-5", "MQTT-2.3.1-6");
      break;
    case PacketType::kPubcomp:
      rule = ByVersion(v, "MQTT-2.2.1-5", "MQTT-3.1.1 §2.3.1");
      break;
    case PacketType::kSuback:
    case PacketType::kUnsuback:
      rule = ByVersion(v, "MQTT-2.2.1-6", "MQTT-2.3.1-7");
      break;
    default:  // PUBLISH (QoS > 0), SUBSCRIBE, UNSUBSCRIBE
      rule = ByVersion(v, "MQTT-2.2.1-3", "MQTT-2.3.1-1");
      break;
  }
  return ProtocolErrorAt(rule, at, absl::StrCat(PacketTypeName(type), " has Packet Identifier 0"));
}

// The fixed header's flags (5.0 §2.1.3, 3.1.1 §2.2.2). MQTT 3.1 marks the flags of packets other
// than PUBLISH "not used", except that PUBREL, SUBSCRIBE and UNSUBSCRIBE are sent at QoS 1 and,
// being retried like a PUBLISH, may carry DUP: a 3.1 receiver checks only their QoS bits.
absl::Status CheckFlags(uint8_t first_byte, ProtocolVersion v) {
  const auto type = static_cast<PacketType>(first_byte >> 4);
  const uint8_t flags = first_byte & 0x0F;
  if (type == PacketType::kPublish) {
    const int qos = (flags >> 1) & 0x03;
    if (qos == 3) {
      return MalformedPacketError("MQTT-3.3.1-4", 0, "PUBLISH has both QoS bits set");
    }
    if ((flags & 0x08) != 0 && qos == 0) {
      return MalformedPacketError("MQTT-3.3.1-2", 0, "PUBLISH has DUP set with QoS 0");
    }
    return absl::OkStatus();
  }
  const bool at_qos1 = type == PacketType::kPubrel || type == PacketType::kSubscribe ||
                       type == PacketType::kUnsubscribe;
  if (v == ProtocolVersion::kV31) {
    if (at_qos1 && (flags & 0x06) != 0x02) {
      const char* rule = type == PacketType::kPubrel      ? "MQTT-3.1 §3.6"
                         : type == PacketType::kSubscribe ? "MQTT-3.1 §3.8"
                                                          : "MQTT-3.1 §3.10";
      return MalformedPacketError(
          rule, 0,
          absl::StrCat(PacketTypeName(type), " must be sent with QoS 1; flags are ", Hex2(flags)));
    }
    return absl::OkStatus();
  }
  const uint8_t expected = at_qos1 ? 0x02 : 0x00;
  if (flags != expected) {
    return MalformedPacketError(
        ByVersion(v, "MQTT-2.1.3-1", "MQTT-2.2.2-1"), 0,
        absl::StrCat(PacketTypeName(type), " has fixed header flags ", Hex2(flags),
                     "; the reserved value is ", Hex2(expected)));
  }
  return absl::OkStatus();
}

// Where each packet's Remaining Length is pinned, for bytes left over after the last field.
const char* LengthRule(PacketType type, ProtocolVersion v) {
  switch (type) {
    case PacketType::kPingreq:
      return ByVersion(v, "MQTT-5.0 §3.12.1", "MQTT-3.1.1 §3.12.1");
    case PacketType::kPingresp:
      return ByVersion(v, "MQTT-5.0 §3.13.1", "MQTT-3.1.1 §3.13.1");
    case PacketType::kDisconnect:
      return ByVersion(v, "MQTT-5.0 §3.14.2", "MQTT-3.1.1 §3.14.1");
    case PacketType::kUnsuback:
      return ByVersion(v, "MQTT-5.0 §3.11.3", "MQTT-3.1.1 §3.11.1");
    case PacketType::kConnack:
      return ByVersion(v, "MQTT-5.0 §3.2.2", "MQTT-3.1.1 §3.2.1");
    default:
      return ByVersion(v, "MQTT-5.0 §2.1.4", "MQTT-3.1.1 §2.2.3");
  }
}

template <typename T>
absl::StatusOr<Packet> Wrap(absl::StatusOr<T> p) {
  if (!p.ok()) return std::move(p).status();
  return Packet(*std::move(p));
}

// ---------------------------------------------------------------------------------------------
// CONNECT (5.0 §3.1, 3.1.1 §3.1, 3.1 §3.1). Decoded by the version the packet itself names.

absl::StatusOr<ConnectPacket> DecodeConnect(uint8_t first_byte, absl::Span<const uint8_t> body,
                                            size_t body_offset,
                                            ProtocolVersion connection_version) {
  // Protocol Name and Level hold no Variable Byte Integer, so reading them with the connection's
  // version changes nothing; the rest is read by the version they name.
  WireReader head(body, body_offset, connection_version);
  const size_t name_at = head.offset();
  OUZEL_ASSIGN_OR_RETURN(absl::string_view name, head.ReadUtf8String());
  const size_t level_at = head.offset();
  OUZEL_ASSIGN_OR_RETURN(uint8_t level, head.ReadU8());
  ProtocolVersion v;
  if (name == "MQTT" && (level == 4 || level == 5)) {
    v = static_cast<ProtocolVersion>(level);
  } else if (name == "MQIsdp" && level == 3) {
    v = ProtocolVersion::kV31;
  } else if (name == "MQTT" || name == "MQIsdp") {
    return ProtocolErrorAt(
        "MQTT-3.1.2-2", level_at,
        absl::StrCat("unsupported protocol level ", int{level}, " for \"", name, "\""));
  } else {
    return ProtocolErrorAt("MQTT-3.1.2-1", name_at,
                           absl::StrCat("protocol name is not \"MQTT\" or \"MQIsdp\""));
  }
  // Checked once the version is known: MQTT 3.1 marks these bits "not used".
  if (v != ProtocolVersion::kV31 && (first_byte & 0x0F) != 0) {
    return MalformedPacketError(
        ByVersion(v, "MQTT-2.1.3-1", "MQTT-2.2.2-1"), 0,
        absl::StrCat("CONNECT has fixed header flags ", Hex2(first_byte & 0x0F),
                     "; the reserved value is 0x00"));
  }
  const size_t consumed = head.offset() - body_offset;
  WireReader r(body.subspan(consumed), head.offset(), v);

  const size_t flags_at = r.offset();
  OUZEL_ASSIGN_OR_RETURN(uint8_t flags, r.ReadU8());
  const bool has_will = (flags & 0x04) != 0;
  const uint8_t will_qos = (flags >> 3) & 0x03;
  const bool will_retain = (flags & 0x20) != 0;
  const bool has_password = (flags & 0x40) != 0;
  const bool has_username = (flags & 0x80) != 0;
  if ((flags & 0x01) != 0) {
    return MalformedPacketError("MQTT-3.1.2-3", flags_at, "reserved Connect Flags bit 0 is set");
  }
  if (!has_will && will_qos != 0) {
    return MalformedPacketError(ByVersion(v, "MQTT-3.1.2-11", "MQTT-3.1.2-13"), flags_at,
                                "Will QoS is set without the Will Flag");
  }
  if (!has_will && will_retain) {
    return MalformedPacketError(ByVersion(v, "MQTT-3.1.2-13", "MQTT-3.1.2-15"), flags_at,
                                "Will Retain is set without the Will Flag");
  }
  if (will_qos == 3) {
    return MalformedPacketError(ByVersion(v, "MQTT-3.1.2-12", "MQTT-3.1.2-14"), flags_at,
                                "Will QoS is 3");
  }
  if (has_password && !has_username && !IsV5(v)) {
    return MalformedPacketError("MQTT-3.1.2-22", flags_at,
                                "Password Flag is set without the User Name Flag");
  }

  ConnectPacket p;
  p.version = v;
  p.clean_start = (flags & 0x02) != 0;
  OUZEL_ASSIGN_OR_RETURN(p.keep_alive, r.ReadU16());
  if (IsV5(v)) {
    OUZEL_ASSIGN_OR_RETURN(p.properties, Properties::Decode(r, PropertyContext::kConnect));
  }
  OUZEL_ASSIGN_OR_RETURN(absl::string_view client_id, r.ReadUtf8String());
  p.client_id.assign(client_id.data(), client_id.size());
  if (has_will) {
    Will will;
    will.qos = will_qos;
    will.retain = will_retain;
    if (IsV5(v)) {
      OUZEL_ASSIGN_OR_RETURN(will.properties, Properties::Decode(r, PropertyContext::kWill));
    }
    OUZEL_ASSIGN_OR_RETURN(absl::string_view topic, r.ReadUtf8String());
    OUZEL_ASSIGN_OR_RETURN(absl::string_view payload, r.ReadBinary());
    will.topic.assign(topic.data(), topic.size());
    will.payload.assign(payload.data(), payload.size());
    p.will = std::move(will);
  }
  if (has_username) {
    OUZEL_ASSIGN_OR_RETURN(absl::string_view username, r.ReadUtf8String());
    p.username.emplace(username.data(), username.size());
  }
  if (has_password) {
    OUZEL_ASSIGN_OR_RETURN(absl::string_view password, r.ReadBinary());
    p.password.emplace(password);
  }
  if (!r.empty()) {
    return MalformedPacketError(LengthRule(PacketType::kConnect, v), r.offset(),
                                absl::StrCat(r.remaining(),
                                             " bytes follow the last field the Connect Flags "
                                             "announce"));
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// CONNACK (5.0 §3.2, 3.1.1 §3.2, 3.1 §3.2)

absl::StatusOr<ConnackPacket> DecodeConnack(WireReader& r) {
  const ProtocolVersion v = r.version();
  ConnackPacket p;
  const size_t flags_at = r.offset();
  OUZEL_ASSIGN_OR_RETURN(uint8_t flags, r.ReadU8());
  // In MQTT 3.1 this byte is "Topic Name Compression Response: reserved, not used".
  if (v != ProtocolVersion::kV31) {
    if ((flags & 0xFE) != 0) {
      return MalformedPacketError(
          ByVersion(v, "MQTT-3.2.2-1", "MQTT-3.1.1 §3.2.2.1"), flags_at,
          absl::StrCat("reserved Connect Acknowledge Flags are set: ", Hex2(flags)));
    }
    p.session_present = (flags & 0x01) != 0;
  }
  const size_t code_at = r.offset();
  OUZEL_ASSIGN_OR_RETURN(p.reason_code, r.ReadU8());
  // A server that speaks only MQTT 3.x answers a 5.0 CONNECT with its own two-byte CONNACK,
  // return code 0x01 "unacceptable protocol version" (aedes, older brokers). As a 5.0 packet it is
  // malformed (0x01 is no CONNACK reason code, the property length is missing); it is read as what
  // it says, 0x84 Unsupported Protocol Version (MQTT-5.0 §3.1.4), so the refusal names the cause.
  if (IsV5(v) && p.reason_code == 0x01 && r.empty() && !p.session_present) {
    p.reason_code = 0x84;
    return p;
  }
  if (!IsValidReasonCode(ConnackReasonContext(v), p.reason_code)) {
    return MalformedPacketError(ByVersion(v, "MQTT-3.2.2-8", "MQTT-3.1.1 §3.2.2.3"), code_at,
                                absl::StrCat("CONNACK ", IsV5(v) ? "reason" : "return", " code ",
                                             Hex2(p.reason_code), " is not defined"));
  }
  if (p.session_present && p.reason_code != 0) {
    return ProtocolErrorAt(ByVersion(v, "MQTT-3.2.2-6", "MQTT-3.2.2-4"), flags_at,
                           "Session Present is set with a non-zero reason code");
  }
  if (IsV5(v)) {
    OUZEL_ASSIGN_OR_RETURN(p.properties, Properties::Decode(r, PropertyContext::kConnack));
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// PUBLISH (5.0 §3.3, 3.1.1 §3.3, 3.1 §3.3)

absl::StatusOr<PublishPacket> DecodePublish(uint8_t first_byte, WireReader& r) {
  const ProtocolVersion v = r.version();
  PublishPacket p;
  p.retain = (first_byte & 0x01) != 0;
  p.qos = (first_byte >> 1) & 0x03;
  p.dup = (first_byte & 0x08) != 0;
  const size_t topic_at = r.offset();
  OUZEL_ASSIGN_OR_RETURN(absl::string_view topic, r.ReadUtf8String());
  if (size_t wildcard = topic.find_first_of("+#"); wildcard != absl::string_view::npos) {
    return ProtocolErrorAt(
        "MQTT-3.3.2-2", topic_at + 2 + wildcard,
        absl::StrCat("Topic Name contains the wildcard '", topic.substr(wildcard, 1), "'"));
  }
  if (p.qos > 0) {
    OUZEL_ASSIGN_OR_RETURN(p.packet_id, ReadPacketId(r, PacketType::kPublish));
  }
  if (IsV5(v)) {
    OUZEL_ASSIGN_OR_RETURN(p.properties, Properties::Decode(r, PropertyContext::kPublish));
  }
  if (topic.empty()) {
    if (!IsV5(v)) {
      return ProtocolErrorAt("MQTT-4.7.3-1", topic_at, "Topic Name is empty");
    }
    if (!p.properties.Has(PropertyId::kTopicAlias)) {
      return ProtocolErrorAt("MQTT-5.0 §3.3.2.1", topic_at,
                             "Topic Name is empty and there is no Topic Alias");
    }
  }
  p.topic.assign(topic.data(), topic.size());
  const absl::string_view payload = r.ReadRest();
  p.payload.assign(payload.data(), payload.size());
  return p;
}

// ---------------------------------------------------------------------------------------------
// PUBACK, PUBREC, PUBREL, PUBCOMP (5.0 §3.4-§3.7, 3.1.1 §3.4-§3.7)

template <typename Ack>
absl::StatusOr<Ack> DecodeAck(WireReader& r, PacketType type, ReasonContext reason_context,
                              PropertyContext property_context, const char* reason_rule) {
  Ack p;
  OUZEL_ASSIGN_OR_RETURN(p.packet_id, ReadPacketId(r, type));
  // MQTT 5: Remaining Length 2 means Success without properties; below 4 there is no Property
  // Length (5.0 §3.4.2.1, §3.4.2.2.1 and the same words for the other three).
  if (!IsV5(r.version()) || r.empty()) return p;
  const size_t code_at = r.offset();
  OUZEL_ASSIGN_OR_RETURN(p.reason_code, r.ReadU8());
  if (!IsValidReasonCode(reason_context, p.reason_code)) {
    return MalformedPacketError(
        reason_rule, code_at,
        absl::StrCat(Hex2(p.reason_code), " is not a ", PacketTypeName(type), " reason code"));
  }
  if (!r.empty()) {
    OUZEL_ASSIGN_OR_RETURN(p.properties, Properties::Decode(r, property_context));
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// SUBSCRIBE (5.0 §3.8, 3.1.1 §3.8, 3.1 §3.8)

absl::StatusOr<SubscribePacket> DecodeSubscribe(WireReader& r) {
  const ProtocolVersion v = r.version();
  SubscribePacket p;
  OUZEL_ASSIGN_OR_RETURN(p.packet_id, ReadPacketId(r, PacketType::kSubscribe));
  if (IsV5(v)) {
    OUZEL_ASSIGN_OR_RETURN(p.properties, Properties::Decode(r, PropertyContext::kSubscribe));
  }
  if (r.empty()) {
    return ProtocolErrorAt(ByVersion(v, "MQTT-3.8.3-2", "MQTT-3.8.3-3"), r.offset(),
                           "SUBSCRIBE has no Topic Filter");
  }
  while (!r.empty()) {
    Subscription sub;
    OUZEL_ASSIGN_OR_RETURN(absl::string_view filter, r.ReadUtf8String());
    const size_t options_at = r.offset();
    OUZEL_ASSIGN_OR_RETURN(uint8_t options, r.ReadU8());
    sub.filter.assign(filter.data(), filter.size());
    sub.qos = options & 0x03;
    if (IsV5(v)) {
      if ((options & 0xC0) != 0) {
        return MalformedPacketError(
            "MQTT-3.8.3-5", options_at,
            absl::StrCat("reserved Subscription Options bits are set: ", Hex2(options)));
      }
      if (sub.qos == 3) {
        return ProtocolErrorAt("MQTT-5.0 §3.8.3.1", options_at, "Maximum QoS is 3");
      }
      sub.no_local = (options & 0x04) != 0;
      if (sub.no_local && absl::StartsWith(filter, "$share/")) {
        return ProtocolErrorAt("MQTT-3.8.3-4", options_at,
                               "No Local is set on a Shared Subscription");
      }
      sub.retain_as_published = (options & 0x08) != 0;
      sub.retain_handling = (options >> 4) & 0x03;
      if (sub.retain_handling == 3) {
        return ProtocolErrorAt("MQTT-5.0 §3.8.3.1", options_at, "Retain Handling is 3");
      }
    } else {
      // 3.1.1 requires bits 7-2 to be 0; MQTT 3.1 marks them "reserved, not used".
      if ((options & 0xFC) != 0 && v == ProtocolVersion::kV311) {
        return MalformedPacketError(
            "MQTT-3-8.3-4", options_at,
            absl::StrCat("reserved bits of the Requested QoS byte are set: ", Hex2(options)));
      }
      if (sub.qos == 3) {
        return MalformedPacketError(v == ProtocolVersion::kV311 ? "MQTT-3-8.3-4" : "MQTT-3.1 §3.8",
                                    options_at, "Requested QoS is 3");
      }
    }
    p.subscriptions.push_back(std::move(sub));
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// SUBACK (5.0 §3.9, 3.1.1 §3.9, 3.1 §3.9)

absl::StatusOr<SubackPacket> DecodeSuback(WireReader& r) {
  const ProtocolVersion v = r.version();
  SubackPacket p;
  OUZEL_ASSIGN_OR_RETURN(p.packet_id, ReadPacketId(r, PacketType::kSuback));
  if (IsV5(v)) {
    OUZEL_ASSIGN_OR_RETURN(p.properties, Properties::Decode(r, PropertyContext::kSuback));
  }
  if (r.empty()) {
    return ProtocolErrorAt(ByVersion(v, "MQTT-3.8.4-6", "MQTT-3.8.4-5"), r.offset(),
                           "SUBACK has no reason code");
  }
  p.reason_codes.reserve(r.remaining());
  while (!r.empty()) {
    const size_t at = r.offset();
    OUZEL_ASSIGN_OR_RETURN(uint8_t code, r.ReadU8());
    if (!IsValidReasonCode(SubackReasonContext(v), code)) {
      return MalformedPacketError(
          v == ProtocolVersion::kV31 ? "MQTT-3.1 §3.9" : "MQTT-3.9.3-2", at,
          absl::StrCat(Hex2(code), " is not a SUBACK ", IsV5(v) ? "reason" : "return", " code"));
    }
    p.reason_codes.push_back(code);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// UNSUBSCRIBE (5.0 §3.10, 3.1.1 §3.10, 3.1 §3.10)

absl::StatusOr<UnsubscribePacket> DecodeUnsubscribe(WireReader& r) {
  const ProtocolVersion v = r.version();
  UnsubscribePacket p;
  OUZEL_ASSIGN_OR_RETURN(p.packet_id, ReadPacketId(r, PacketType::kUnsubscribe));
  if (IsV5(v)) {
    OUZEL_ASSIGN_OR_RETURN(p.properties, Properties::Decode(r, PropertyContext::kUnsubscribe));
  }
  if (r.empty()) {
    return ProtocolErrorAt("MQTT-3.10.3-2", r.offset(), "UNSUBSCRIBE has no Topic Filter");
  }
  while (!r.empty()) {
    OUZEL_ASSIGN_OR_RETURN(absl::string_view filter, r.ReadUtf8String());
    p.filters.emplace_back(filter);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// UNSUBACK (5.0 §3.11, 3.1.1 §3.11, 3.1 §3.11): 3.x has the Packet Identifier only.

absl::StatusOr<UnsubackPacket> DecodeUnsuback(WireReader& r) {
  const ProtocolVersion v = r.version();
  UnsubackPacket p;
  OUZEL_ASSIGN_OR_RETURN(p.packet_id, ReadPacketId(r, PacketType::kUnsuback));
  if (!IsV5(v)) return p;
  OUZEL_ASSIGN_OR_RETURN(p.properties, Properties::Decode(r, PropertyContext::kUnsuback));
  if (r.empty()) {
    return ProtocolErrorAt("MQTT-5.0 §3.11.3", r.offset(), "UNSUBACK has no reason code");
  }
  p.reason_codes.reserve(r.remaining());
  while (!r.empty()) {
    const size_t at = r.offset();
    OUZEL_ASSIGN_OR_RETURN(uint8_t code, r.ReadU8());
    if (!IsValidReasonCode(ReasonContext::kUnsuback, code)) {
      return MalformedPacketError("MQTT-3.11.3-2", at,
                                  absl::StrCat(Hex2(code), " is not an UNSUBACK reason code"));
    }
    p.reason_codes.push_back(code);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// DISCONNECT (5.0 §3.14; 3.x has no variable header) and AUTH (5.0 §3.15)

absl::StatusOr<DisconnectPacket> DecodeDisconnect(WireReader& r) {
  DisconnectPacket p;
  // 5.0 §3.14.2.1: no reason code means Normal disconnection; §3.14.2.2.1: below 2 bytes there
  // is no Property Length.
  if (!IsV5(r.version()) || r.empty()) return p;
  const size_t code_at = r.offset();
  OUZEL_ASSIGN_OR_RETURN(p.reason_code, r.ReadU8());
  if (!IsValidReasonCode(ReasonContext::kDisconnect, p.reason_code)) {
    return MalformedPacketError(
        "MQTT-3.14.2-1", code_at,
        absl::StrCat(Hex2(p.reason_code), " is not a DISCONNECT reason code"));
  }
  if (!r.empty()) {
    OUZEL_ASSIGN_OR_RETURN(p.properties, Properties::Decode(r, PropertyContext::kDisconnect));
  }
  return p;
}

absl::StatusOr<AuthPacket> DecodeAuth(WireReader& r) {
  AuthPacket p;
  // 5.0 §3.15.2.1: an empty AUTH is Success without properties. Unlike DISCONNECT, nothing lets a
  // reason code stand without a Property Length [MQTT-2.2.2-1].
  if (r.empty()) return p;
  const size_t code_at = r.offset();
  OUZEL_ASSIGN_OR_RETURN(p.reason_code, r.ReadU8());
  if (!IsValidReasonCode(ReasonContext::kAuth, p.reason_code)) {
    return MalformedPacketError("MQTT-3.15.2-1", code_at,
                                absl::StrCat(Hex2(p.reason_code), " is not an AUTH reason code"));
  }
  if (r.empty()) {
    return MalformedPacketError("MQTT-2.2.2-1", r.offset(),
                                "AUTH has a reason code but no Property Length");
  }
  OUZEL_ASSIGN_OR_RETURN(p.properties, Properties::Decode(r, PropertyContext::kAuth));
  return p;
}

absl::StatusOr<Packet> DecodeBody(uint8_t first_byte, WireReader& r) {
  switch (static_cast<PacketType>(first_byte >> 4)) {
    case PacketType::kConnack:
      return Wrap(DecodeConnack(r));
    case PacketType::kPublish:
      return Wrap(DecodePublish(first_byte, r));
    case PacketType::kPuback:
      return Wrap(DecodeAck<PubackPacket>(r, PacketType::kPuback, ReasonContext::kPuback,
                                          PropertyContext::kPuback, "MQTT-3.4.2-1"));
    case PacketType::kPubrec:
      return Wrap(DecodeAck<PubrecPacket>(r, PacketType::kPubrec, ReasonContext::kPubrec,
                                          PropertyContext::kPubrec, "MQTT-3.5.2-1"));
    case PacketType::kPubrel:
      return Wrap(DecodeAck<PubrelPacket>(r, PacketType::kPubrel, ReasonContext::kPubrel,
                                          PropertyContext::kPubrel, "MQTT-3.6.2-1"));
    case PacketType::kPubcomp:
      return Wrap(DecodeAck<PubcompPacket>(r, PacketType::kPubcomp, ReasonContext::kPubcomp,
                                           PropertyContext::kPubcomp, "MQTT-3.7.2-1"));
    case PacketType::kSubscribe:
      return Wrap(DecodeSubscribe(r));
    case PacketType::kSuback:
      return Wrap(DecodeSuback(r));
    case PacketType::kUnsubscribe:
      return Wrap(DecodeUnsubscribe(r));
    case PacketType::kUnsuback:
      return Wrap(DecodeUnsuback(r));
    case PacketType::kPingreq:
      return Packet(PingreqPacket{});
    case PacketType::kPingresp:
      return Packet(PingrespPacket{});
    case PacketType::kDisconnect:
      return Wrap(DecodeDisconnect(r));
    case PacketType::kAuth:
      return Wrap(DecodeAuth(r));
    case PacketType::kConnect:
      break;  // decoded by DecodeConnect
  }
  return absl::InternalError("unreachable packet type");
}

}  // namespace

absl::StatusOr<Packet> DecodePacket(uint8_t first_byte, absl::Span<const uint8_t> body,
                                    size_t body_offset, ProtocolVersion version) {
  const uint8_t type_bits = first_byte >> 4;
  if (type_bits == 0) {
    return MalformedPacketError(ByVersion(version, "MQTT-5.0 §2.1.2", "MQTT-3.1.1 §2.2.1"), 0,
                                "packet type 0 is reserved");
  }
  const auto type = static_cast<PacketType>(type_bits);
  if (type == PacketType::kConnect) {
    // A CONNECT is read by the version it names, whatever the connection's.
    return Wrap(DecodeConnect(first_byte, body, body_offset, version));
  }
  if (!IsKnownVersion(version)) {
    return absl::InvalidArgumentError(
        absl::StrCat("DecodePacket: unknown protocol version ", static_cast<int>(version)));
  }
  if (type == PacketType::kAuth && !IsV5(version)) {
    return MalformedPacketError("MQTT-3.1.1 §2.2.1", 0,
                                "packet type 15 is reserved before MQTT 5 (AUTH is MQTT 5 only)");
  }
  OUZEL_RETURN_IF_ERROR(CheckFlags(first_byte, version));
  WireReader r(body, body_offset, version);
  OUZEL_ASSIGN_OR_RETURN(Packet packet, DecodeBody(first_byte, r));
  if (!r.empty()) {
    return MalformedPacketError(
        LengthRule(type, version), r.offset(),
        absl::StrCat(r.remaining(), " bytes follow the end of the ", PacketTypeName(type)));
  }
  return packet;
}

}  // namespace ouzel
