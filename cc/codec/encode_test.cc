// Every check EncodePacket makes: a packet it cannot express yields InvalidArgument (never a
// disconnect reason), EncodedPacketSize refuses it the same way, and the output buffer is left
// exactly as it was. Then the sizing contract and the allocation budget.
#include "cc/codec/encode.h"

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cc/base/byte_buffer.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/packet_test_util.h"
#include "cc/codec/packets.h"
#include "cc/codec/varint.h"
#include "gtest/gtest.h"

// Counts heap allocations while a test asks for it (this binary only).
namespace {
std::atomic<bool> g_counting{false};
std::atomic<int> g_allocations{0};
}  // namespace

void* operator new(size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) { return ::operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace ouzel {
namespace {

constexpr ProtocolVersion kV31 = ProtocolVersion::kV31;
constexpr ProtocolVersion kV311 = ProtocolVersion::kV311;
constexpr ProtocolVersion kV5 = ProtocolVersion::kV5;
constexpr ProtocolVersion kAll[] = {kV31, kV311, kV5};

// `needle` is a fragment of the message that names the problem.
void ExpectRejected(const Packet& packet, ProtocolVersion version, absl::string_view needle) {
  SCOPED_TRACE(absl::StrCat(VersionName(version), " ", Describe(packet)));
  ByteBuffer out;
  out.Append(absl::string_view("\xab\xcd"));
  const absl::Status s = EncodePacket(packet, version, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find(needle), absl::string_view::npos)
      << "\"" << needle << "\" not in: " << s;
  EXPECT_FALSE(DisconnectReasonOf(s).has_value()) << s;
  EXPECT_EQ(ToHex(out.span()), "ab cd");
  const absl::StatusOr<size_t> size = EncodedPacketSize(packet, version);
  EXPECT_EQ(size.status().code(), absl::StatusCode::kInvalidArgument) << size.status();
}

void ExpectAccepted(const Packet& packet, ProtocolVersion version) {
  SCOPED_TRACE(absl::StrCat(VersionName(version), " ", Describe(packet)));
  ByteBuffer out;
  const absl::Status s = EncodePacket(packet, version, &out);
  EXPECT_TRUE(s.ok()) << s;
}

PublishPacket Publish(std::string topic, uint8_t qos = 0, uint16_t id = 0) {
  PublishPacket p;
  p.topic = std::move(topic);
  p.qos = qos;
  p.packet_id = id;
  p.payload = "x";
  return p;
}

ConnectPacket Connect(ProtocolVersion v) {
  ConnectPacket p;
  p.version = v;
  p.client_id = "c";
  return p;
}

template <typename Ack>
Ack MakeAck(uint16_t id, uint8_t code = 0) {
  Ack a;
  a.packet_id = id;
  a.reason_code = code;
  return a;
}

Properties UserProperty() {
  Properties p;
  p.AddUserProperty("k", "v");
  return p;
}

// ---------------------------------------------------------------------------------------------
// Any packet

TEST(EncodeChecks, UnknownProtocolVersion_IsRejected) {
  ExpectRejected(PingreqPacket{}, static_cast<ProtocolVersion>(9), "unknown protocol version");
}

// ---------------------------------------------------------------------------------------------
// PUBLISH

TEST(EncodePublish, Qos3_IsRejected) {
  for (ProtocolVersion v : kAll) ExpectRejected(Publish("a", 3, 1), v, "QoS 3");
}

TEST(EncodePublish, DupWithQos0_IsRejected_MQTT_3_3_1_2) {
  PublishPacket p = Publish("a");
  p.dup = true;
  for (ProtocolVersion v : kAll) ExpectRejected(p, v, "MQTT-3.3.1-2");
}

TEST(EncodePublish, QosAbove0WithPacketId0_IsRejected_MQTT_2_2_1_3) {
  for (ProtocolVersion v : kAll) {
    ExpectRejected(Publish("a", 1, 0), v, "MQTT-2.2.1-3");
    ExpectRejected(Publish("a", 2, 0), v, "MQTT-2.2.1-3");
  }
}

TEST(EncodePublish, Qos0WithPacketId_IsRejected_MQTT_2_2_1_2) {
  for (ProtocolVersion v : kAll) ExpectRejected(Publish("a", 0, 5), v, "MQTT-2.2.1-2");
}

TEST(EncodePublish, TopicOver65535Bytes_IsRejected) {
  ExpectRejected(Publish(std::string(65536, 'a')), kV311, "65535");
  ExpectAccepted(Publish(std::string(65535, 'a')), kV311);
}

TEST(EncodePublish, TopicNotWellFormedUtf8_IsRejected_MQTT_1_5_4_1) {
  ExpectRejected(Publish("a\xff"), kV5, "MQTT-1.5.4-1");
  ExpectRejected(Publish("\xED\xA0\x80"), kV311, "MQTT-1.5.4-1");  // a surrogate
}

TEST(EncodePublish, TopicWithNul_IsRejected_MQTT_1_5_4_2) {
  ExpectRejected(Publish(std::string("a\0b", 3)), kV311, "MQTT-1.5.4-2");
}

TEST(EncodePublish, TopicWithWildcard_IsRejected_MQTT_3_3_2_2) {
  for (ProtocolVersion v : kAll) {
    ExpectRejected(Publish("a/+"), v, "MQTT-3.3.2-2");
    ExpectRejected(Publish("#"), v, "MQTT-3.3.2-2");
  }
}

TEST(EncodePublish, EmptyTopic_Mqtt3_IsRejected_MQTT_4_7_3_1) {
  ExpectRejected(Publish(""), kV311, "MQTT-4.7.3-1");
  ExpectRejected(Publish(""), kV31, "MQTT-4.7.3-1");
}

TEST(EncodePublish, EmptyTopicWithoutTopicAlias_V5_IsRejected) {
  ExpectRejected(Publish(""), kV5, "Topic Alias");
  PublishPacket aliased = Publish("");
  aliased.properties.SetInt(PropertyId::kTopicAlias, 3);
  ExpectAccepted(aliased, kV5);
}

TEST(EncodePublish, PropertiesInMqtt3_AreRejected) {
  PublishPacket p = Publish("a");
  p.properties = UserProperty();
  ExpectRejected(p, kV311, "properties");
  ExpectRejected(p, kV31, "properties");
}

// Properties::Validate(kPublish): a property of another packet, or an invalid value.
TEST(EncodePublish, InvalidProperties_V5_AreRejected) {
  PublishPacket p = Publish("a");
  p.properties.SetInt(PropertyId::kSessionExpiryInterval, 1);
  ExpectRejected(p, kV5, "Session Expiry Interval");
  PublishPacket alias0 = Publish("a");
  alias0.properties.SetInt(PropertyId::kTopicAlias, 0);
  ExpectRejected(alias0, kV5, "Topic Alias");
}

// 5.0 §2.1.4: the Remaining Length is at most 268,435,455. One 256 MB payload serves both sides
// of the limit (the topic's length moves the total across it).
TEST(EncodePublish, RemainingLengthOver268435455_IsRejected) {
  Packet packet = PublishPacket{};
  PublishPacket& p = std::get<PublishPacket>(packet);
  p.topic = "ab";  // 4 bytes with its length
  p.payload.assign(kMaxVarInt - 4, 'x');
  absl::StatusOr<size_t> size = EncodedPacketSize(packet, kV311);
  ASSERT_TRUE(size.ok()) << size.status();
  EXPECT_EQ(*size, 1 + 4 + size_t{kMaxVarInt});
  p.topic = "abc";
  ByteBuffer out;
  out.AppendU8(0x77);
  const absl::Status s = EncodePacket(packet, kV311, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("268435455"), absl::string_view::npos) << s;
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(EncodedPacketSize(packet, kV311).status().code(), absl::StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------------------------------------
// CONNECT

TEST(EncodeConnect, VersionOtherThanEncodingVersion_IsRejected) {
  ExpectRejected(Connect(kV5), kV311, "MQTT 5.0");
  ExpectRejected(Connect(kV311), kV31, "MQTT 3.1.1");
  ExpectRejected(Connect(kV31), kV5, "MQTT 3.1");
}

TEST(EncodeConnect, ClientIdentifierNotUtf8_IsRejected_MQTT_1_5_4_1) {
  ConnectPacket p = Connect(kV311);
  p.client_id = "\xc3";
  ExpectRejected(p, kV311, "Client Identifier");
}

TEST(EncodeConnect, ClientIdentifierOver65535Bytes_IsRejected) {
  ConnectPacket p = Connect(kV5);
  p.client_id.assign(65536, 'c');
  ExpectRejected(p, kV5, "Client Identifier");
}

TEST(EncodeConnect, PasswordWithoutUserName_Mqtt3_IsRejected_MQTT_3_1_2_22) {
  for (ProtocolVersion v : {kV31, kV311}) {
    ConnectPacket p = Connect(v);
    p.password = "pw";
    ExpectRejected(p, v, "MQTT-3.1.2-22");
  }
  ConnectPacket v5 = Connect(kV5);
  v5.password = "pw";
  ExpectAccepted(v5, kV5);
}

TEST(EncodeConnect, UserNameNotUtf8_IsRejected) {
  ConnectPacket p = Connect(kV311);
  p.username = std::string("u\0", 2);
  ExpectRejected(p, kV311, "User Name");
}

TEST(EncodeConnect, PasswordOver65535Bytes_IsRejected) {
  ConnectPacket p = Connect(kV5);
  p.username = "u";
  p.password = std::string(65536, '\0');
  ExpectRejected(p, kV5, "Password");
}

TEST(EncodeConnect, WillQos3_IsRejected) {
  ConnectPacket p = Connect(kV311);
  p.will = Will{"t", "m", 3, false, {}};
  ExpectRejected(p, kV311, "Will QoS 3");
}

TEST(EncodeConnect, WillTopicNotUtf8_IsRejected) {
  ConnectPacket p = Connect(kV5);
  p.will = Will{"\xff", "m", 0, false, {}};
  ExpectRejected(p, kV5, "Will Topic");
}

TEST(EncodeConnect, WillPayloadOver65535Bytes_IsRejected) {
  ConnectPacket p = Connect(kV311);
  p.will = Will{"t", std::string(65536, 'm'), 0, false, {}};
  ExpectRejected(p, kV311, "Will Payload");
}

TEST(EncodeConnect, PropertiesInMqtt3_AreRejected) {
  ConnectPacket p = Connect(kV311);
  p.properties = UserProperty();
  ExpectRejected(p, kV311, "properties");
  ConnectPacket will = Connect(kV31);
  will.will = Will{"t", "m", 0, false, UserProperty()};
  ExpectRejected(will, kV31, "properties");
}

// Properties::Validate(kWill): Topic Alias is no Will property (5.0 §3.1.3.2).
TEST(EncodeConnect, WillPropertyNotAllowed_IsRejected) {
  ConnectPacket p = Connect(kV5);
  Will will{"t", "m", 0, false, {}};
  will.properties.SetInt(PropertyId::kTopicAlias, 1);
  p.will = will;
  ExpectRejected(p, kV5, "Topic Alias");
}

// ---------------------------------------------------------------------------------------------
// CONNACK

TEST(EncodeConnack, Mqtt3ReturnCodeAbove5_IsRejected) {
  ConnackPacket p;
  p.reason_code = 6;
  ExpectRejected(p, kV311, "0x06");
  ExpectRejected(p, kV31, "0x06");
  p.reason_code = 0x87;  // an MQTT 5 code
  ExpectRejected(p, kV311, "0x87");
}

TEST(EncodeConnack, V5ReasonCodeNotInTable_IsRejected) {
  ConnackPacket p;
  p.reason_code = 0x01;
  ExpectRejected(p, kV5, "0x01");
}

TEST(EncodeConnack, SessionPresentWithNonZeroCode_IsRejected) {
  ConnackPacket p;
  p.session_present = true;
  p.reason_code = 0x05;
  ExpectRejected(p, kV311, "MQTT-3.2.2-4");
  p.reason_code = 0x87;
  ExpectRejected(p, kV5, "MQTT-3.2.2-6");
}

TEST(EncodeConnack, V31SessionPresent_IsRejected) {
  ConnackPacket p;
  p.session_present = true;
  ExpectRejected(p, kV31, "Session Present");
}

TEST(EncodeConnack, PropertiesInMqtt3_AreRejected) {
  ConnackPacket p;
  p.properties = UserProperty();
  ExpectRejected(p, kV311, "properties");
}

// ---------------------------------------------------------------------------------------------
// PUBACK, PUBREC, PUBREL, PUBCOMP

std::vector<Packet> AcksWith(uint16_t id, uint8_t code) {
  return {MakeAck<PubackPacket>(id, code), MakeAck<PubrecPacket>(id, code),
          MakeAck<PubrelPacket>(id, code), MakeAck<PubcompPacket>(id, code)};
}

TEST(EncodeAcks, PacketId0_IsRejected_MQTT_2_2_1_5) {
  for (ProtocolVersion v : kAll) {
    for (const Packet& p : AcksWith(0, 0)) ExpectRejected(p, v, "MQTT-2.2.1-5");
  }
}

TEST(EncodeAcks, Mqtt3ReasonCode_IsRejected) {
  for (ProtocolVersion v : {kV31, kV311}) {
    for (const Packet& p : AcksWith(1, 0x80)) ExpectRejected(p, v, "reason code");
  }
}

TEST(EncodeAcks, Mqtt3Properties_AreRejected) {
  PubackPacket p = MakeAck<PubackPacket>(1);
  p.properties.SetString(PropertyId::kReasonString, "r");
  ExpectRejected(p, kV311, "properties");
}

TEST(EncodeAcks, V5ReasonCodeNotInTable_IsRejected) {
  ExpectRejected(MakeAck<PubackPacket>(1, 0x92), kV5, "0x92");
  ExpectRejected(MakeAck<PubrecPacket>(1, 0x01), kV5, "0x01");
  ExpectRejected(MakeAck<PubrelPacket>(1, 0x80), kV5, "0x80");
  ExpectRejected(MakeAck<PubcompPacket>(1, 0x10), kV5, "0x10");
}

TEST(EncodeAcks, V5PropertyNotAllowed_IsRejected) {
  PubrelPacket p = MakeAck<PubrelPacket>(1);
  p.properties.SetInt(PropertyId::kMessageExpiryInterval, 1);
  ExpectRejected(p, kV5, "Message Expiry Interval");
}

// ---------------------------------------------------------------------------------------------
// SUBSCRIBE

SubscribePacket Subscribe(Subscription s) {
  SubscribePacket p;
  p.packet_id = 1;
  p.subscriptions.push_back(std::move(s));
  return p;
}

TEST(EncodeSubscribe, NoSubscription_IsRejected_MQTT_3_8_3_2) {
  SubscribePacket p;
  p.packet_id = 1;
  for (ProtocolVersion v : kAll) ExpectRejected(p, v, "MQTT-3.8.3-2");
}

TEST(EncodeSubscribe, PacketId0_IsRejected_MQTT_2_2_1_3) {
  SubscribePacket p = Subscribe({"a", 0});
  p.packet_id = 0;
  for (ProtocolVersion v : kAll) ExpectRejected(p, v, "MQTT-2.2.1-3");
}

TEST(EncodeSubscribe, Qos3_IsRejected) {
  for (ProtocolVersion v : kAll) ExpectRejected(Subscribe({"a", 3}), v, "QoS 3");
}

TEST(EncodeSubscribe, RetainHandling3_IsRejected) {
  Subscription s{"a", 0};
  s.retain_handling = 3;
  ExpectRejected(Subscribe(s), kV5, "Retain Handling 3");
}

TEST(EncodeSubscribe, Mqtt5OptionsInMqtt3_AreRejected) {
  Subscription no_local{"a", 1};
  no_local.no_local = true;
  Subscription rap{"a", 1};
  rap.retain_as_published = true;
  Subscription rh{"a", 1};
  rh.retain_handling = 1;
  for (ProtocolVersion v : {kV31, kV311}) {
    ExpectRejected(Subscribe(no_local), v, "No Local");
    ExpectRejected(Subscribe(rap), v, "Retain As Published");
    ExpectRejected(Subscribe(rh), v, "Retain Handling");
  }
  ExpectAccepted(Subscribe(no_local), kV5);
}

TEST(EncodeSubscribe, NoLocalOnSharedSubscription_IsRejected_MQTT_3_8_3_4) {
  Subscription s{"$share/g/a", 1};
  s.no_local = true;
  ExpectRejected(Subscribe(s), kV5, "MQTT-3.8.3-4");
}

TEST(EncodeSubscribe, FilterNotUtf8_IsRejected) {
  ExpectRejected(Subscribe({"a/\xff", 0}), kV311, "Topic Filter");
}

TEST(EncodeSubscribe, PropertiesInMqtt3_AreRejected) {
  SubscribePacket p = Subscribe({"a", 0});
  p.properties.AddSubscriptionIdentifier(1);
  ExpectRejected(p, kV311, "properties");
}

// ---------------------------------------------------------------------------------------------
// SUBACK

TEST(EncodeSuback, NoReasonCode_IsRejected) {
  SubackPacket p;
  p.packet_id = 1;
  for (ProtocolVersion v : kAll) ExpectRejected(p, v, "reason code");
}

TEST(EncodeSuback, PacketId0_IsRejected_MQTT_2_2_1_6) {
  SubackPacket p;
  p.reason_codes = {0};
  for (ProtocolVersion v : kAll) ExpectRejected(p, v, "MQTT-2.2.1-6");
}

// The codes each version defines: 3.1 granted QoS only, 3.1.1 adds 0x80, 5.0 Table 3-8.
TEST(EncodeSuback, CodeNotValidForVersion_IsRejected) {
  SubackPacket p;
  p.packet_id = 1;
  p.reason_codes = {0x80};
  ExpectRejected(p, kV31, "0x80");
  ExpectAccepted(p, kV311);
  p.reason_codes = {0x00, 0x87};
  ExpectRejected(p, kV311, "0x87");
  ExpectAccepted(p, kV5);
  p.reason_codes = {0x03};
  ExpectRejected(p, kV5, "0x03");
}

// ---------------------------------------------------------------------------------------------
// UNSUBSCRIBE, UNSUBACK

TEST(EncodeUnsubscribe, NoFilter_IsRejected_MQTT_3_10_3_2) {
  UnsubscribePacket p;
  p.packet_id = 1;
  for (ProtocolVersion v : kAll) ExpectRejected(p, v, "MQTT-3.10.3-2");
}

TEST(EncodeUnsubscribe, PacketId0_IsRejected_MQTT_2_2_1_3) {
  UnsubscribePacket p;
  p.filters = {"a"};
  for (ProtocolVersion v : kAll) ExpectRejected(p, v, "MQTT-2.2.1-3");
}

TEST(EncodeUnsubscribe, FilterNotUtf8_IsRejected) {
  UnsubscribePacket p;
  p.packet_id = 1;
  p.filters = {"ok", std::string("\0", 1)};
  ExpectRejected(p, kV5, "MQTT-1.5.4-2");
}

TEST(EncodeUnsuback, PacketId0_IsRejected_MQTT_2_2_1_6) {
  UnsubackPacket p;
  ExpectRejected(p, kV311, "MQTT-2.2.1-6");
  p.reason_codes = {0};
  ExpectRejected(p, kV5, "MQTT-2.2.1-6");
}

TEST(EncodeUnsuback, Mqtt3ReasonCodes_AreRejected) {
  UnsubackPacket p;
  p.packet_id = 1;
  p.reason_codes = {0};
  ExpectRejected(p, kV311, "reason codes");
  ExpectRejected(p, kV31, "reason codes");
}

TEST(EncodeUnsuback, V5NoReasonCode_IsRejected) {
  UnsubackPacket p;
  p.packet_id = 1;
  ExpectRejected(p, kV5, "reason code");
}

TEST(EncodeUnsuback, V5CodeNotInTable_IsRejected) {
  UnsubackPacket p;
  p.packet_id = 1;
  p.reason_codes = {0x00, 0x10};
  ExpectRejected(p, kV5, "0x10");
}

// ---------------------------------------------------------------------------------------------
// DISCONNECT, AUTH

TEST(EncodeDisconnect, Mqtt3ReasonCode_IsRejected) {
  DisconnectPacket p;
  p.reason_code = 0x04;
  ExpectRejected(p, kV311, "reason code");
  ExpectRejected(p, kV31, "reason code");
}

TEST(EncodeDisconnect, Mqtt3Properties_AreRejected) {
  DisconnectPacket p;
  p.properties = UserProperty();
  ExpectRejected(p, kV311, "properties");
}

TEST(EncodeDisconnect, V5ReasonCodeNotInTable_IsRejected) {
  DisconnectPacket p;
  p.reason_code = 0x01;
  ExpectRejected(p, kV5, "0x01");
}

TEST(EncodeAuth, Mqtt3_IsRejected) {
  ExpectRejected(AuthPacket{}, kV311, "AUTH");
  ExpectRejected(AuthPacket{}, kV31, "AUTH");
}

TEST(EncodeAuth, V5ReasonCodeNotInTable_IsRejected) {
  AuthPacket p;
  p.reason_code = 0x87;
  p.properties.SetString(PropertyId::kAuthenticationMethod, "m");
  ExpectRejected(p, kV5, "0x87");
}

// 5.0 §3.15.2.2.2: an AUTH with a property block must name the Authentication Method.
TEST(EncodeAuth, V5WithoutAuthenticationMethod_IsRejected) {
  AuthPacket p;
  p.reason_code = 0x18;
  ExpectRejected(p, kV5, "Authentication Method");
  AuthPacket success;
  success.properties.SetString(PropertyId::kReasonString, "r");
  ExpectRejected(success, kV5, "Authentication Method");
}

// ---------------------------------------------------------------------------------------------
// Sizing and allocations

TEST(EncodeSize, EncodedPacketSize_EqualsAppendedBytes_OnANonEmptyBuffer) {
  std::mt19937 rng(5u);
  for (ProtocolVersion v : kAll) {
    for (PacketType type : PacketTypesOf(v)) {
      for (int i = 0; i < 20; ++i) {
        const Packet p = RandomPacket(rng, type, v);
        ByteBuffer out;
        out.Append(absl::string_view("prefix"));
        ASSERT_TRUE(EncodePacket(p, v, &out).ok());
        EXPECT_EQ(out.view().substr(0, 6), "prefix");
        EXPECT_EQ(*EncodedPacketSize(p, v), out.size() - 6) << Describe(p);
      }
    }
  }
}

// A 64-byte QoS 1 PUBLISH costs one allocation (the reservation) and no temporaries; sizing it
// costs none.
TEST(EncodeAllocations, Qos1Publish64Bytes_AllocatesOnce) {
  for (ProtocolVersion v : kAll) {
    Packet packet = PublishPacket{};
    PublishPacket& p = std::get<PublishPacket>(packet);
    p.topic = "sensors/kitchen/temperature";  // 29 bytes with its length
    p.qos = 1;
    p.packet_id = 42;
    // 1 (type) + 1 (Remaining Length) + 29 + 2 (id) [+ 1 (Property Length)] + payload = 64.
    p.payload.assign(IsV5(v) ? 30 : 31, 'p');
    ByteBuffer out;

    g_allocations = 0;
    g_counting = true;
    const absl::StatusOr<size_t> size = EncodedPacketSize(packet, v);
    g_counting = false;
    EXPECT_EQ(g_allocations.load(), 0) << VersionName(v);
    ASSERT_TRUE(size.ok());
    EXPECT_EQ(*size, 64u);

    g_allocations = 0;
    g_counting = true;
    const absl::Status s = EncodePacket(packet, v, &out);
    g_counting = false;
    EXPECT_TRUE(s.ok()) << s;
    EXPECT_LE(g_allocations.load(), 1) << VersionName(v);
    EXPECT_EQ(out.size(), 64u);
  }
}

}  // namespace
}  // namespace ouzel
