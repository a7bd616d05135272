// The MQTT control packets as plain structs, one per packet type, for all three protocol levels.
//
// Fields that only exist in MQTT 5 (properties, reason codes on acks, DISCONNECT and AUTH bodies)
// are ignored when encoding for 3.1/3.1.1 and left empty when decoding them; the encoder refuses a
// value 3.x cannot express (e.g. a non-zero reason code in a 3.1.1 PUBACK) rather than drop it.
//
//   PublishPacket p;
//   p.topic = "sensors/1";
//   p.payload = "21.5";
//   p.qos = 1;
//   p.packet_id = 7;
//   ByteBuffer out;
//   OUZEL_RETURN_IF_ERROR(EncodePacket(p, ProtocolVersion::kV5, &out));
#ifndef OUZEL_CC_CODEC_PACKETS_H_
#define OUZEL_CC_CODEC_PACKETS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "cc/base/secret.h"
#include "cc/codec/properties.h"
#include "cc/codec/protocol_version.h"

namespace ouzel {

// The fixed header's packet type nibble (MQTT 5.0 §2.1.2).
enum class PacketType : uint8_t {
  kConnect = 1,
  kConnack = 2,
  kPublish = 3,
  kPuback = 4,
  kPubrec = 5,
  kPubrel = 6,
  kPubcomp = 7,
  kSubscribe = 8,
  kSuback = 9,
  kUnsubscribe = 10,
  kUnsuback = 11,
  kPingreq = 12,
  kPingresp = 13,
  kDisconnect = 14,
  kAuth = 15,  // MQTT 5 only
};

const char* PacketTypeName(PacketType type);

struct Will {
  std::string topic;
  std::string payload;  // binary
  uint8_t qos = 0;
  bool retain = false;
  Properties properties;  // MQTT 5 Will Properties (§3.1.3.2)

  friend bool operator==(const Will& a, const Will& b) {
    return std::tie(a.topic, a.payload, a.qos, a.retain, a.properties) ==
           std::tie(b.topic, b.payload, b.qos, b.retain, b.properties);
  }
  friend bool operator!=(const Will& a, const Will& b) { return !(a == b); }
};

struct ConnectPacket {
  // Selects the protocol name and level written ("MQIsdp"/3, "MQTT"/4, "MQTT"/5). On decode it is
  // read from the packet itself, whatever version the decoder was given.
  ProtocolVersion version = ProtocolVersion::kV311;
  std::string client_id;
  bool clean_start = true;  // "Clean Session" in 3.x
  uint16_t keep_alive = 60;
  std::optional<std::string> username;
  std::optional<SecretString> password;  // binary; zeroed when the packet is destroyed
  std::optional<Will> will;
  Properties properties;

  friend bool operator==(const ConnectPacket& a, const ConnectPacket& b) {
    return std::tie(a.version, a.client_id, a.clean_start, a.keep_alive, a.username, a.password,
                    a.will, a.properties) == std::tie(b.version, b.client_id, b.clean_start,
                                                      b.keep_alive, b.username, b.password, b.will,
                                                      b.properties);
  }
  friend bool operator!=(const ConnectPacket& a, const ConnectPacket& b) { return !(a == b); }
};

struct ConnackPacket {
  bool session_present = false;
  uint8_t reason_code = 0;  // 3.x: the return code 0..5
  Properties properties;

  friend bool operator==(const ConnackPacket& a, const ConnackPacket& b) {
    return std::tie(a.session_present, a.reason_code, a.properties) ==
           std::tie(b.session_present, b.reason_code, b.properties);
  }
  friend bool operator!=(const ConnackPacket& a, const ConnackPacket& b) { return !(a == b); }
};

struct PublishPacket {
  std::string topic;  // empty with a Topic Alias property in MQTT 5 (§3.3.2.3.4)
  std::string payload;
  uint8_t qos = 0;
  bool retain = false;
  bool dup = false;
  uint16_t packet_id = 0;  // only for QoS 1 and 2; must be non-zero there
  Properties properties;

  friend bool operator==(const PublishPacket& a, const PublishPacket& b) {
    return std::tie(a.topic, a.payload, a.qos, a.retain, a.dup, a.packet_id, a.properties) ==
           std::tie(b.topic, b.payload, b.qos, b.retain, b.dup, b.packet_id, b.properties);
  }
  friend bool operator!=(const PublishPacket& a, const PublishPacket& b) { return !(a == b); }
};

// PUBACK, PUBREC, PUBREL and PUBCOMP share one layout (§3.4-§3.7). In MQTT 5 the reason code and
// properties may be omitted on the wire when the code is 0x00 and there are no properties; the
// encoder does so, the decoder accepts every permitted form.
struct PublishAck {
  uint16_t packet_id = 0;
  uint8_t reason_code = 0;
  Properties properties;

  friend bool operator==(const PublishAck& a, const PublishAck& b) {
    return std::tie(a.packet_id, a.reason_code, a.properties) ==
           std::tie(b.packet_id, b.reason_code, b.properties);
  }
  friend bool operator!=(const PublishAck& a, const PublishAck& b) { return !(a == b); }
};
struct PubackPacket : PublishAck {};
struct PubrecPacket : PublishAck {};
struct PubrelPacket : PublishAck {};
struct PubcompPacket : PublishAck {};

struct Subscription {
  std::string filter;
  uint8_t qos = 0;
  // MQTT 5 subscription options (§3.8.3.1); must be false/0 for 3.x.
  bool no_local = false;
  bool retain_as_published = false;
  uint8_t retain_handling = 0;  // 0, 1 or 2

  friend bool operator==(const Subscription& a, const Subscription& b) {
    return std::tie(a.filter, a.qos, a.no_local, a.retain_as_published, a.retain_handling) ==
           std::tie(b.filter, b.qos, b.no_local, b.retain_as_published, b.retain_handling);
  }
  friend bool operator!=(const Subscription& a, const Subscription& b) { return !(a == b); }
};

struct SubscribePacket {
  uint16_t packet_id = 0;
  std::vector<Subscription> subscriptions;  // at least one [MQTT-3.8.3-2]
  Properties properties;

  friend bool operator==(const SubscribePacket& a, const SubscribePacket& b) {
    return std::tie(a.packet_id, a.subscriptions, a.properties) ==
           std::tie(b.packet_id, b.subscriptions, b.properties);
  }
  friend bool operator!=(const SubscribePacket& a, const SubscribePacket& b) { return !(a == b); }
};

struct SubackPacket {
  uint16_t packet_id = 0;
  std::vector<uint8_t> reason_codes;  // one per requested filter, in order
  Properties properties;

  friend bool operator==(const SubackPacket& a, const SubackPacket& b) {
    return std::tie(a.packet_id, a.reason_codes, a.properties) ==
           std::tie(b.packet_id, b.reason_codes, b.properties);
  }
  friend bool operator!=(const SubackPacket& a, const SubackPacket& b) { return !(a == b); }
};

struct UnsubscribePacket {
  uint16_t packet_id = 0;
  std::vector<std::string> filters;  // at least one [MQTT-3.10.3-2]
  Properties properties;

  friend bool operator==(const UnsubscribePacket& a, const UnsubscribePacket& b) {
    return std::tie(a.packet_id, a.filters, a.properties) ==
           std::tie(b.packet_id, b.filters, b.properties);
  }
  friend bool operator!=(const UnsubscribePacket& a, const UnsubscribePacket& b) {
    return !(a == b);
  }
};

struct UnsubackPacket {
  uint16_t packet_id = 0;
  std::vector<uint8_t> reason_codes;  // MQTT 5 only; empty for 3.x
  Properties properties;

  friend bool operator==(const UnsubackPacket& a, const UnsubackPacket& b) {
    return std::tie(a.packet_id, a.reason_codes, a.properties) ==
           std::tie(b.packet_id, b.reason_codes, b.properties);
  }
  friend bool operator!=(const UnsubackPacket& a, const UnsubackPacket& b) { return !(a == b); }
};

struct PingreqPacket {
  friend bool operator==(const PingreqPacket&, const PingreqPacket&) { return true; }
  friend bool operator!=(const PingreqPacket&, const PingreqPacket&) { return false; }
};
struct PingrespPacket {
  friend bool operator==(const PingrespPacket&, const PingrespPacket&) { return true; }
  friend bool operator!=(const PingrespPacket&, const PingrespPacket&) { return false; }
};

struct DisconnectPacket {
  uint8_t reason_code = 0;  // MQTT 5; 3.x DISCONNECT has no body
  Properties properties;

  friend bool operator==(const DisconnectPacket& a, const DisconnectPacket& b) {
    return std::tie(a.reason_code, a.properties) == std::tie(b.reason_code, b.properties);
  }
  friend bool operator!=(const DisconnectPacket& a, const DisconnectPacket& b) { return !(a == b); }
};

struct AuthPacket {  // MQTT 5 only
  uint8_t reason_code = 0;
  Properties properties;

  friend bool operator==(const AuthPacket& a, const AuthPacket& b) {
    return std::tie(a.reason_code, a.properties) == std::tie(b.reason_code, b.properties);
  }
  friend bool operator!=(const AuthPacket& a, const AuthPacket& b) { return !(a == b); }
};

using Packet =
    std::variant<ConnectPacket, ConnackPacket, PublishPacket, PubackPacket, PubrecPacket,
                 PubrelPacket, PubcompPacket, SubscribePacket, SubackPacket, UnsubscribePacket,
                 UnsubackPacket, PingreqPacket, PingrespPacket, DisconnectPacket, AuthPacket>;

PacketType TypeOf(const Packet& packet);

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_PACKETS_H_
