#include "cc/codec/encode.h"

#include <cstdint>
#include <variant>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cc/base/status_macros.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/properties.h"
#include "cc/codec/reason_codes.h"
#include "cc/codec/utf8.h"
#include "cc/codec/varint.h"
#include "cc/codec/wire_writer.h"

namespace ouzel {
namespace {

// Each packet is encoded by one Body() template run twice: once with SizeSink to learn the exact
// Remaining Length, then with WriteSink into storage reserved once. The two can never disagree.
class SizeSink {
 public:
  void U8(uint8_t) { n_ += 1; }
  void U16(uint16_t) { n_ += 2; }
  void Bytes(absl::string_view s) { n_ += s.size(); }
  void Prefixed(absl::string_view s) { n_ += LengthPrefixedSize(s); }
  void Props(const Properties& p) { n_ += p.EncodedSize(); }
  size_t Total() const { return n_; }

 private:
  size_t n_ = 0;
};

class WriteSink {
 public:
  explicit WriteSink(ByteBuffer* out) : out_(out) {}
  void U8(uint8_t v) { out_->AppendU8(v); }
  void U16(uint16_t v) { out_->AppendU16(v); }
  void Bytes(absl::string_view s) { out_->Append(s); }
  void Prefixed(absl::string_view s) { AppendLengthPrefixed(s, out_); }
  void Props(const Properties& p) { p.EncodeTo(out_); }

 private:
  ByteBuffer* out_;
};

const char* VersionName(ProtocolVersion v) {
  switch (v) {
    case ProtocolVersion::kV31:
      return "MQTT 3.1";
    case ProtocolVersion::kV311:
      return "MQTT 3.1.1";
    case ProtocolVersion::kV5:
      return "MQTT 5.0";
  }
  return "an unknown protocol version";
}

bool IsKnownVersion(ProtocolVersion v) {
  return v == ProtocolVersion::kV31 || v == ProtocolVersion::kV311 || v == ProtocolVersion::kV5;
}

// ---------------------------------------------------------------------------------------------
// Checks shared by several packets. `what` names the field in the error.

absl::Status CheckString(absl::string_view s, absl::string_view what) {
  if (s.size() > kMaxTwoByteLength) {
    return EncodeError(absl::StrCat(what, " is ", s.size(),
                                    " bytes; a UTF-8 string holds at most 65535 (5.0 §1.5.4)"));
  }
  if (std::optional<size_t> bad = FindInvalidMqttUtf8(s)) {
    return EncodeError(
        absl::StrCat(what, " is not valid MQTT UTF-8 at byte ", *bad,
                     s[*bad] == '\0' ? " (U+0000) [MQTT-1.5.4-2]" : " [MQTT-1.5.4-1]"));
  }
  return absl::OkStatus();
}

absl::Status CheckBinary(absl::string_view s, absl::string_view what) {
  if (s.size() > kMaxTwoByteLength) {
    return EncodeError(absl::StrCat(what, " is ", s.size(),
                                    " bytes; binary data holds at most 65535 (5.0 §1.5.6)"));
  }
  return absl::OkStatus();
}

absl::Status CheckQos(uint8_t qos, absl::string_view what) {
  if (qos > 2) return EncodeError(absl::StrCat(what, " ", int{qos}, " is not 0, 1 or 2"));
  return absl::OkStatus();
}

// A Packet Identifier is never 0: senders of PUBLISH, SUBSCRIBE and UNSUBSCRIBE must pick a
// non-zero one [MQTT-2.2.1-3] and acknowledgements repeat it [MQTT-2.2.1-5], [MQTT-2.2.1-6].
absl::Status CheckPacketId(uint16_t id, PacketType type) {
  if (id != 0) return absl::OkStatus();
  const char* rule = "MQTT-2.2.1-3";
  switch (type) {
    case PacketType::kPuback:
    case PacketType::kPubrec:
    case PacketType::kPubrel:
    case PacketType::kPubcomp:
      rule = "MQTT-2.2.1-5";
      break;
    case PacketType::kSuback:
    case PacketType::kUnsuback:
      rule = "MQTT-2.2.1-6";
      break;
    default:
      break;
  }
  return EncodeError(
      absl::StrCat(PacketTypeName(type), " needs a non-zero Packet Identifier [", rule, "]"));
}

// 3.x packets have no properties; MQTT 5 properties must be allowed and valid where they appear.
absl::Status CheckProperties(const Properties& props, PropertyContext context, ProtocolVersion v,
                             absl::string_view what) {
  if (IsV5(v)) return props.Validate(context);
  if (!props.empty()) {
    return EncodeError(absl::StrCat(what, " has properties, which ", VersionName(v),
                                    " cannot carry (they are MQTT 5 only)"));
  }
  return absl::OkStatus();
}

absl::Status CheckReasonCode(ReasonContext context, uint8_t code, PacketType type) {
  if (!IsValidReasonCode(context, code)) {
    return EncodeError(absl::StrCat("reason code 0x", absl::Hex(code, absl::kZeroPad2),
                                    " is not valid in ", PacketTypeName(type)));
  }
  return absl::OkStatus();
}

bool HasWildcard(absl::string_view topic) {
  return topic.find_first_of("+#") != absl::string_view::npos;
}

// ---------------------------------------------------------------------------------------------
// CONNECT (5.0 §3.1, 3.1.1 §3.1, 3.1 "CONNECT")

uint8_t FirstByte(const ConnectPacket&) { return 0x10; }

absl::Status Check(const ConnectPacket& p, ProtocolVersion v) {
  if (p.version != v) {
    return EncodeError(absl::StrCat("CONNECT says ", VersionName(p.version),
                                    " but is being encoded as ", VersionName(v)));
  }
  OUZEL_RETURN_IF_ERROR(CheckString(p.client_id, "Client Identifier"));
  OUZEL_RETURN_IF_ERROR(CheckProperties(p.properties, PropertyContext::kConnect, v, "CONNECT"));
  if (p.will) {
    OUZEL_RETURN_IF_ERROR(CheckString(p.will->topic, "Will Topic"));
    OUZEL_RETURN_IF_ERROR(CheckBinary(p.will->payload, "Will Payload"));
    OUZEL_RETURN_IF_ERROR(CheckQos(p.will->qos, "Will QoS"));
    OUZEL_RETURN_IF_ERROR(
        CheckProperties(p.will->properties, PropertyContext::kWill, v, "the Will"));
  }
  if (p.username) OUZEL_RETURN_IF_ERROR(CheckString(*p.username, "User Name"));
  if (p.password) {
    OUZEL_RETURN_IF_ERROR(CheckBinary(*p.password, "Password"));
    if (!p.username && !IsV5(v)) {
      return EncodeError(absl::StrCat(
          VersionName(v), " cannot send a Password without a User Name [MQTT-3.1.2-22]"));
    }
  }
  return absl::OkStatus();
}

template <typename Sink>
void Body(const ConnectPacket& p, ProtocolVersion v, Sink& s) {
  s.Prefixed(v == ProtocolVersion::kV31 ? "MQIsdp" : "MQTT");
  s.U8(static_cast<uint8_t>(v));
  uint8_t flags = p.clean_start ? 0x02 : 0x00;
  if (p.will) {
    flags |= 0x04 | static_cast<uint8_t>(p.will->qos << 3) | (p.will->retain ? 0x20 : 0x00);
  }
  if (p.password) flags |= 0x40;
  if (p.username) flags |= 0x80;
  s.U8(flags);
  s.U16(p.keep_alive);
  if (IsV5(v)) s.Props(p.properties);
  s.Prefixed(p.client_id);
  if (p.will) {
    if (IsV5(v)) s.Props(p.will->properties);
    s.Prefixed(p.will->topic);
    s.Prefixed(p.will->payload);
  }
  if (p.username) s.Prefixed(*p.username);
  if (p.password) s.Prefixed(*p.password);
}

// ---------------------------------------------------------------------------------------------
// CONNACK (5.0 §3.2, 3.1.1 §3.2)

uint8_t FirstByte(const ConnackPacket&) { return 0x20; }

absl::Status Check(const ConnackPacket& p, ProtocolVersion v) {
  OUZEL_RETURN_IF_ERROR(
      CheckReasonCode(ConnackReasonContext(v), p.reason_code, PacketType::kConnack));
  if (p.session_present) {
    if (v == ProtocolVersion::kV31) {
      return EncodeError("MQTT 3.1 CONNACK has no Session Present flag");
    }
    if (p.reason_code != 0) {
      return EncodeError(
          absl::StrCat("CONNACK with a non-zero reason code must have Session Present 0 ",
                       IsV5(v) ? "[MQTT-3.2.2-6]" : "[MQTT-3.2.2-4]"));
    }
  }
  return CheckProperties(p.properties, PropertyContext::kConnack, v, "CONNACK");
}

template <typename Sink>
void Body(const ConnackPacket& p, ProtocolVersion v, Sink& s) {
  s.U8(p.session_present ? 0x01 : 0x00);
  s.U8(p.reason_code);
  if (IsV5(v)) s.Props(p.properties);
}

// ---------------------------------------------------------------------------------------------
// PUBLISH (5.0 §3.3, 3.1.1 §3.3)

uint8_t FirstByte(const PublishPacket& p) {
  return static_cast<uint8_t>(0x30 | (p.dup ? 0x08 : 0x00) | (p.qos << 1) | (p.retain ? 0x01 : 0));
}

absl::Status Check(const PublishPacket& p, ProtocolVersion v) {
  OUZEL_RETURN_IF_ERROR(CheckQos(p.qos, "PUBLISH QoS"));
  if (p.dup && p.qos == 0) {
    return EncodeError("DUP must be 0 in a QoS 0 PUBLISH [MQTT-3.3.1-2]");
  }
  if (p.qos == 0 && p.packet_id != 0) {
    return EncodeError(
        "a QoS 0 PUBLISH has no Packet Identifier; packet_id must be 0 [MQTT-2.2.1-2]");
  }
  if (p.qos > 0) OUZEL_RETURN_IF_ERROR(CheckPacketId(p.packet_id, PacketType::kPublish));
  OUZEL_RETURN_IF_ERROR(CheckString(p.topic, "Topic Name"));
  if (HasWildcard(p.topic)) {
    return EncodeError("a Topic Name must not contain wildcards [MQTT-3.3.2-2]");
  }
  OUZEL_RETURN_IF_ERROR(CheckProperties(p.properties, PropertyContext::kPublish, v, "PUBLISH"));
  if (p.topic.empty()) {
    if (!IsV5(v)) {
      return EncodeError(
          absl::StrCat("a Topic Name must not be empty in ", VersionName(v), " [MQTT-4.7.3-1]"));
    }
    if (!p.properties.Has(PropertyId::kTopicAlias)) {
      return EncodeError("an empty Topic Name needs a Topic Alias property (5.0 §3.3.2.1)");
    }
  }
  return absl::OkStatus();
}

template <typename Sink>
void Body(const PublishPacket& p, ProtocolVersion v, Sink& s) {
  s.Prefixed(p.topic);
  if (p.qos > 0) s.U16(p.packet_id);
  if (IsV5(v)) s.Props(p.properties);
  s.Bytes(p.payload);
}

// ---------------------------------------------------------------------------------------------
// PUBACK, PUBREC, PUBREL, PUBCOMP (5.0 §3.4-§3.7, 3.1.1 §3.4-§3.7)

struct AckTraits {
  PacketType type;
  uint8_t first_byte;
  ReasonContext reason;
  PropertyContext props;
};

constexpr AckTraits TraitsOf(const PubackPacket*) {
  return {PacketType::kPuback, 0x40, ReasonContext::kPuback, PropertyContext::kPuback};
}
constexpr AckTraits TraitsOf(const PubrecPacket*) {
  return {PacketType::kPubrec, 0x50, ReasonContext::kPubrec, PropertyContext::kPubrec};
}
constexpr AckTraits TraitsOf(const PubrelPacket*) {
  return {PacketType::kPubrel, 0x62, ReasonContext::kPubrel, PropertyContext::kPubrel};
}
constexpr AckTraits TraitsOf(const PubcompPacket*) {
  return {PacketType::kPubcomp, 0x70, ReasonContext::kPubcomp, PropertyContext::kPubcomp};
}

template <typename Ack>
using IfAck = std::enable_if_t<std::is_base_of_v<PublishAck, Ack>, int>;

template <typename Ack, IfAck<Ack> = 0>
uint8_t FirstByte(const Ack& p) {
  return TraitsOf(&p).first_byte;
}

template <typename Ack, IfAck<Ack> = 0>
absl::Status Check(const Ack& p, ProtocolVersion v) {
  constexpr AckTraits kTraits = TraitsOf(static_cast<const Ack*>(nullptr));
  OUZEL_RETURN_IF_ERROR(CheckPacketId(p.packet_id, kTraits.type));
  if (!IsV5(v)) {
    if (p.reason_code != 0) {
      return EncodeError(absl::StrCat(VersionName(v), " ", PacketTypeName(kTraits.type),
                                      " cannot carry a reason code (it is MQTT 5 only)"));
    }
    return CheckProperties(p.properties, kTraits.props, v, PacketTypeName(kTraits.type));
  }
  OUZEL_RETURN_IF_ERROR(CheckReasonCode(kTraits.reason, p.reason_code, kTraits.type));
  return p.properties.Validate(kTraits.props);
}

// MQTT 5 allows the short forms (5.0 §3.4.2.1, §3.4.2.2.1): no reason code and no property length
// for Success without properties, and no property length when there are no properties.
template <typename Sink>
void AckBody(const PublishAck& p, ProtocolVersion v, Sink& s) {
  s.U16(p.packet_id);
  if (!IsV5(v) || (p.reason_code == 0 && p.properties.empty())) return;
  s.U8(p.reason_code);
  if (!p.properties.empty()) s.Props(p.properties);
}

template <typename Ack, typename Sink, IfAck<Ack> = 0>
void Body(const Ack& p, ProtocolVersion v, Sink& s) {
  AckBody(p, v, s);
}

// ---------------------------------------------------------------------------------------------
// SUBSCRIBE (5.0 §3.8, 3.1.1 §3.8)

uint8_t FirstByte(const SubscribePacket&) { return 0x82; }

absl::Status Check(const SubscribePacket& p, ProtocolVersion v) {
  OUZEL_RETURN_IF_ERROR(CheckPacketId(p.packet_id, PacketType::kSubscribe));
  OUZEL_RETURN_IF_ERROR(CheckProperties(p.properties, PropertyContext::kSubscribe, v, "SUBSCRIBE"));
  if (p.subscriptions.empty()) {
    return EncodeError("SUBSCRIBE needs at least one Topic Filter [MQTT-3.8.3-2]");
  }
  for (const Subscription& sub : p.subscriptions) {
    OUZEL_RETURN_IF_ERROR(CheckString(sub.filter, "Topic Filter"));
    OUZEL_RETURN_IF_ERROR(CheckQos(sub.qos, "subscription QoS"));
    if (sub.retain_handling > 2) {
      return EncodeError(absl::StrCat("Retain Handling ", int{sub.retain_handling},
                                      " is not 0, 1 or 2 (5.0 §3.8.3.1)"));
    }
    if (sub.no_local && absl::StartsWith(sub.filter, "$share/")) {
      return EncodeError("No Local must not be set on a Shared Subscription [MQTT-3.8.3-4]");
    }
    if (!IsV5(v) && (sub.no_local || sub.retain_as_published || sub.retain_handling != 0)) {
      return EncodeError(absl::StrCat(
          VersionName(v),
          " subscriptions have no No Local, Retain As Published or Retain Handling options"));
    }
  }
  return absl::OkStatus();
}

template <typename Sink>
void Body(const SubscribePacket& p, ProtocolVersion v, Sink& s) {
  s.U16(p.packet_id);
  if (IsV5(v)) s.Props(p.properties);
  for (const Subscription& sub : p.subscriptions) {
    s.Prefixed(sub.filter);
    s.U8(static_cast<uint8_t>(sub.qos | (sub.no_local ? 0x04 : 0) |
                              (sub.retain_as_published ? 0x08 : 0) | (sub.retain_handling << 4)));
  }
}

// ---------------------------------------------------------------------------------------------
// SUBACK (5.0 §3.9, 3.1.1 §3.9, 3.1 "SUBACK")

uint8_t FirstByte(const SubackPacket&) { return 0x90; }

absl::Status Check(const SubackPacket& p, ProtocolVersion v) {
  OUZEL_RETURN_IF_ERROR(CheckPacketId(p.packet_id, PacketType::kSuback));
  OUZEL_RETURN_IF_ERROR(CheckProperties(p.properties, PropertyContext::kSuback, v, "SUBACK"));
  if (p.reason_codes.empty()) {
    return EncodeError("SUBACK needs one reason code per Topic Filter [MQTT-3.8.4-6]");
  }
  for (uint8_t code : p.reason_codes) {
    OUZEL_RETURN_IF_ERROR(CheckReasonCode(SubackReasonContext(v), code, PacketType::kSuback));
  }
  return absl::OkStatus();
}

template <typename Sink>
void Body(const SubackPacket& p, ProtocolVersion v, Sink& s) {
  s.U16(p.packet_id);
  if (IsV5(v)) s.Props(p.properties);
  for (uint8_t code : p.reason_codes) s.U8(code);
}

// ---------------------------------------------------------------------------------------------
// UNSUBSCRIBE (5.0 §3.10, 3.1.1 §3.10)

uint8_t FirstByte(const UnsubscribePacket&) { return 0xA2; }

absl::Status Check(const UnsubscribePacket& p, ProtocolVersion v) {
  OUZEL_RETURN_IF_ERROR(CheckPacketId(p.packet_id, PacketType::kUnsubscribe));
  OUZEL_RETURN_IF_ERROR(
      CheckProperties(p.properties, PropertyContext::kUnsubscribe, v, "UNSUBSCRIBE"));
  if (p.filters.empty()) {
    return EncodeError("UNSUBSCRIBE needs at least one Topic Filter [MQTT-3.10.3-2]");
  }
  for (const std::string& filter : p.filters) {
    OUZEL_RETURN_IF_ERROR(CheckString(filter, "Topic Filter"));
  }
  return absl::OkStatus();
}

template <typename Sink>
void Body(const UnsubscribePacket& p, ProtocolVersion v, Sink& s) {
  s.U16(p.packet_id);
  if (IsV5(v)) s.Props(p.properties);
  for (const std::string& filter : p.filters) s.Prefixed(filter);
}

// ---------------------------------------------------------------------------------------------
// UNSUBACK (5.0 §3.11, 3.1.1 §3.11)

uint8_t FirstByte(const UnsubackPacket&) { return 0xB0; }

absl::Status Check(const UnsubackPacket& p, ProtocolVersion v) {
  OUZEL_RETURN_IF_ERROR(CheckPacketId(p.packet_id, PacketType::kUnsuback));
  OUZEL_RETURN_IF_ERROR(CheckProperties(p.properties, PropertyContext::kUnsuback, v, "UNSUBACK"));
  if (!IsV5(v)) {
    if (!p.reason_codes.empty()) {
      return EncodeError(absl::StrCat(
          VersionName(v), " UNSUBACK cannot carry reason codes (they are MQTT 5 only)"));
    }
    return absl::OkStatus();
  }
  if (p.reason_codes.empty()) {
    return EncodeError("UNSUBACK needs one reason code per Topic Filter (5.0 §3.11.3)");
  }
  for (uint8_t code : p.reason_codes) {
    OUZEL_RETURN_IF_ERROR(CheckReasonCode(ReasonContext::kUnsuback, code, PacketType::kUnsuback));
  }
  return absl::OkStatus();
}

template <typename Sink>
void Body(const UnsubackPacket& p, ProtocolVersion v, Sink& s) {
  s.U16(p.packet_id);
  if (!IsV5(v)) return;
  s.Props(p.properties);
  for (uint8_t code : p.reason_codes) s.U8(code);
}

// ---------------------------------------------------------------------------------------------
// PINGREQ, PINGRESP (5.0 §3.12, §3.13): no variable header, no payload.

uint8_t FirstByte(const PingreqPacket&) { return 0xC0; }
uint8_t FirstByte(const PingrespPacket&) { return 0xD0; }
absl::Status Check(const PingreqPacket&, ProtocolVersion) { return absl::OkStatus(); }
absl::Status Check(const PingrespPacket&, ProtocolVersion) { return absl::OkStatus(); }
template <typename Sink>
void Body(const PingreqPacket&, ProtocolVersion, Sink&) {}
template <typename Sink>
void Body(const PingrespPacket&, ProtocolVersion, Sink&) {}

// ---------------------------------------------------------------------------------------------
// DISCONNECT (5.0 §3.14, 3.1.1 §3.14)

uint8_t FirstByte(const DisconnectPacket&) { return 0xE0; }

absl::Status Check(const DisconnectPacket& p, ProtocolVersion v) {
  if (!IsV5(v)) {
    if (p.reason_code != 0) {
      return EncodeError(absl::StrCat(
          VersionName(v), " DISCONNECT cannot carry a reason code (it is MQTT 5 only)"));
    }
    return CheckProperties(p.properties, PropertyContext::kDisconnect, v, "DISCONNECT");
  }
  OUZEL_RETURN_IF_ERROR(
      CheckReasonCode(ReasonContext::kDisconnect, p.reason_code, PacketType::kDisconnect));
  return p.properties.Validate(PropertyContext::kDisconnect);
}

// 5.0 §3.14.2.1: empty for Normal disconnection without properties; §3.14.2.2.1: the property
// length may be left out when there are no properties.
template <typename Sink>
void Body(const DisconnectPacket& p, ProtocolVersion v, Sink& s) {
  if (!IsV5(v) || (p.reason_code == 0 && p.properties.empty())) return;
  s.U8(p.reason_code);
  if (!p.properties.empty()) s.Props(p.properties);
}

// ---------------------------------------------------------------------------------------------
// AUTH (5.0 §3.15)

uint8_t FirstByte(const AuthPacket&) { return 0xF0; }

absl::Status Check(const AuthPacket& p, ProtocolVersion v) {
  if (!IsV5(v)) {
    return EncodeError(absl::StrCat(VersionName(v), " has no AUTH packet (it is MQTT 5 only)"));
  }
  OUZEL_RETURN_IF_ERROR(CheckReasonCode(ReasonContext::kAuth, p.reason_code, PacketType::kAuth));
  // The empty form of 5.0 §3.15.2.1 has no property block, so the block's rule that it must hold
  // an Authentication Method (§3.15.2.2.2) applies only when there is one.
  if (p.reason_code == 0 && p.properties.empty()) return absl::OkStatus();
  return p.properties.Validate(PropertyContext::kAuth);
}

// 5.0 §3.15.2.1: empty for Success without properties. Unlike DISCONNECT, AUTH has no rule that
// lets the property length be left out, so a reason code is always followed by one.
template <typename Sink>
void Body(const AuthPacket& p, ProtocolVersion, Sink& s) {
  if (p.reason_code == 0 && p.properties.empty()) return;
  s.U8(p.reason_code);
  s.Props(p.properties);
}

// ---------------------------------------------------------------------------------------------

// Runs every check and returns the Remaining Length.
template <typename P>
absl::StatusOr<uint32_t> RemainingLength(const P& p, ProtocolVersion v) {
  if (!IsKnownVersion(v)) {
    return EncodeError(absl::StrCat("unknown protocol version ", static_cast<int>(v)));
  }
  OUZEL_RETURN_IF_ERROR(Check(p, v));
  SizeSink size;
  Body(p, v, size);
  if (size.Total() > kMaxVarInt) {
    return EncodeError(absl::StrCat("the packet needs a Remaining Length of ", size.Total(),
                                    " bytes; the most MQTT can express is 268435455 (5.0 §2.1.4)"));
  }
  return static_cast<uint32_t>(size.Total());
}

}  // namespace

absl::Status EncodePacket(const Packet& packet, ProtocolVersion version, ByteBuffer* out) {
  return std::visit(
      [&](const auto& p) -> absl::Status {
        OUZEL_ASSIGN_OR_RETURN(uint32_t remaining, RemainingLength(p, version));
        out->Reserve(1 + VarIntSize(remaining) + remaining);
        out->AppendU8(FirstByte(p));
        AppendVarInt(remaining, out);
        WriteSink sink(out);
        Body(p, version, sink);
        return absl::OkStatus();
      },
      packet);
}

absl::StatusOr<size_t> EncodedPacketSize(const Packet& packet, ProtocolVersion version) {
  return std::visit(
      [&](const auto& p) -> absl::StatusOr<size_t> {
        OUZEL_ASSIGN_OR_RETURN(uint32_t remaining, RemainingLength(p, version));
        return 1 + VarIntSize(remaining) + size_t{remaining};
      },
      packet);
}

}  // namespace ouzel
