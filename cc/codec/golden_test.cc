// Golden byte vectors for every packet type at every protocol level that has it, derived by hand
// from the specifications: MQTT 3.1 (IBM, "MQIsdp"), MQTT 3.1.1 (OASIS) and MQTT 5.0 (OASIS).
// Each vector is checked both ways: the packet encodes to exactly these bytes (and
// EncodedPacketSize predicts their number), and the bytes decode to exactly the packet.
#include <string>
#include <vector>

#include "cc/codec/decode.h"
#include "cc/codec/encode.h"
#include "cc/codec/packet_test_util.h"
#include "cc/codec/packets.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

constexpr ProtocolVersion kV31 = ProtocolVersion::kV31;
constexpr ProtocolVersion kV311 = ProtocolVersion::kV311;
constexpr ProtocolVersion kV5 = ProtocolVersion::kV5;

void ExpectGolden(const Packet& packet, ProtocolVersion version,
                  const std::vector<uint8_t>& golden) {
  SCOPED_TRACE(Describe(packet));
  absl::StatusOr<std::vector<uint8_t>> encoded = EncodeToBytes(packet, version);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(ToHex(*encoded), ToHex(golden));
  absl::StatusOr<size_t> size = EncodedPacketSize(packet, version);
  ASSERT_TRUE(size.ok()) << size.status();
  EXPECT_EQ(*size, golden.size());
  absl::StatusOr<Packet> decoded = DecodeWhole(golden, version);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, packet);
}

template <typename Ack>
Ack MakeAck(uint16_t id, uint8_t code = 0, const Properties& props = {}) {
  Ack a;
  a.packet_id = id;
  a.reason_code = code;
  a.properties = props;
  return a;
}

// =============================================================================================
// MQTT 3.1 (IBM MQTT V3.1 Protocol Specification, sections 2 and 3)
// =============================================================================================

// 3.1 §3.1 CONNECT: Protocol Name "MQIsdp", Protocol Version 3; payload order Client Identifier,
// Will Topic, Will Message, User Name, Password.
TEST(GoldenV31, Connect) {
  ConnectPacket p;
  p.version = kV31;
  p.client_id = "c1";
  p.clean_start = true;
  p.keep_alive = 60;
  p.username = "u";
  p.password = "p";
  p.will = Will{"w/t", "bye", 1, true, {}};
  ExpectGolden(p, kV31,
               Hex("10 20"                    // CONNECT, Remaining Length 32
                   "00 06 4d 51 49 73 64 70"  // Protocol Name "MQIsdp"
                   "03"                       // Protocol Version 3
                   "ee"  // flags: User Name, Password, Will Retain, Will QoS 1, Will, Clean Session
                   "00 3c"           // Keep Alive 60
                   "00 02 63 31"     // Client Identifier "c1"
                   "00 03 77 2f 74"  // Will Topic "w/t"
                   "00 03 62 79 65"  // Will Message "bye"
                   "00 01 75"        // User Name "u"
                   "00 01 70"));     // Password "p"
}

// 3.1 §3.2 CONNACK: byte 1 "Topic Name Compression Response" is reserved; byte 2 return code.
TEST(GoldenV31, Connack) {
  ConnackPacket p;
  p.reason_code = 0x05;
  ExpectGolden(p, kV31,
               Hex("20 02"  // CONNACK, Remaining Length 2
                   "00"     // reserved (no Session Present in 3.1)
                   "05"));  // Connection Refused: not authorized
}

// 3.1 §3.3 PUBLISH, QoS 0 with RETAIN: no Message ID.
TEST(GoldenV31, Publish) {
  PublishPacket p;
  p.topic = "a/b";
  p.payload = "hi";
  p.retain = true;
  ExpectGolden(p, kV31,
               Hex("31 07"           // PUBLISH, DUP 0, QoS 0, RETAIN 1, Remaining Length 7
                   "00 03 61 2f 62"  // Topic Name "a/b"
                   "68 69"));        // payload "hi"
}

// 3.1 §3.4-§3.7: PUBACK, PUBREC, PUBREL (sent at QoS 1) and PUBCOMP hold the Message ID only.
TEST(GoldenV31, Puback) {
  ExpectGolden(MakeAck<PubackPacket>(1), kV31,
               Hex("40 02"     // PUBACK, Remaining Length 2
                   "00 01"));  // Message ID 1
}

TEST(GoldenV31, Pubrec) {
  ExpectGolden(MakeAck<PubrecPacket>(2), kV31,
               Hex("50 02"     // PUBREC, Remaining Length 2
                   "00 02"));  // Message ID 2
}

TEST(GoldenV31, Pubrel) {
  ExpectGolden(MakeAck<PubrelPacket>(3), kV31,
               Hex("62 02"     // PUBREL, QoS 1, Remaining Length 2
                   "00 03"));  // Message ID 3
}

TEST(GoldenV31, Pubcomp) {
  ExpectGolden(MakeAck<PubcompPacket>(4), kV31,
               Hex("70 02"     // PUBCOMP, Remaining Length 2
                   "00 04"));  // Message ID 4
}

// 3.1 §3.8 SUBSCRIBE (QoS 1 in the fixed header): Message ID, then Topic Name / Requested QoS
// pairs.
TEST(GoldenV31, Subscribe) {
  SubscribePacket p;
  p.packet_id = 1;
  p.subscriptions = {{"a/#", 1}, {"b", 0}};
  ExpectGolden(p, kV31,
               Hex("82 0c"              // SUBSCRIBE, QoS 1, Remaining Length 12
                   "00 01"              // Message ID 1
                   "00 03 61 2f 23 01"  // "a/#", Requested QoS 1
                   "00 01 62 00"));     // "b", Requested QoS 0
}

// 3.1 §3.9 SUBACK: Message ID, then the granted QoS of each topic (no failure code in 3.1).
TEST(GoldenV31, Suback) {
  SubackPacket p;
  p.packet_id = 1;
  p.reason_codes = {1, 0};
  ExpectGolden(p, kV31,
               Hex("90 04"     // SUBACK, Remaining Length 4
                   "00 01"     // Message ID 1
                   "01 00"));  // granted QoS 1, granted QoS 0
}

// 3.1 §3.10 UNSUBSCRIBE (QoS 1 in the fixed header).
TEST(GoldenV31, Unsubscribe) {
  UnsubscribePacket p;
  p.packet_id = 2;
  p.filters = {"a/b"};
  ExpectGolden(p, kV31,
               Hex("a2 07"              // UNSUBSCRIBE, QoS 1, Remaining Length 7
                   "00 02"              // Message ID 2
                   "00 03 61 2f 62"));  // "a/b"
}

// 3.1 §3.11 UNSUBACK: the Message ID only.
TEST(GoldenV31, Unsuback) {
  UnsubackPacket p;
  p.packet_id = 2;
  ExpectGolden(p, kV31,
               Hex("b0 02"     // UNSUBACK, Remaining Length 2
                   "00 02"));  // Message ID 2
}

// 3.1 §3.12-§3.14: PINGREQ, PINGRESP and DISCONNECT are the fixed header alone.
TEST(GoldenV31, Pingreq) { ExpectGolden(PingreqPacket{}, kV31, Hex("c0 00")); }
TEST(GoldenV31, Pingresp) { ExpectGolden(PingrespPacket{}, kV31, Hex("d0 00")); }
TEST(GoldenV31, Disconnect) { ExpectGolden(DisconnectPacket{}, kV31, Hex("e0 00")); }

// =============================================================================================
// MQTT 3.1.1 (OASIS Standard, 29 October 2014)
// =============================================================================================

// 3.1.1 §3.1.2: Protocol Name "MQTT", Protocol Level 4; §3.1.3: payload is the Client Identifier.
TEST(GoldenV311, ConnectMinimal) {
  ConnectPacket p;
  p.version = kV311;
  p.client_id = "ouzel";
  p.clean_start = true;
  p.keep_alive = 60;
  ExpectGolden(p, kV311,
               Hex("10 11"                    // CONNECT, Remaining Length 17
                   "00 04 4d 51 54 54"        // Protocol Name "MQTT"
                   "04"                       // Protocol Level 4
                   "02"                       // Connect Flags: Clean Session
                   "00 3c"                    // Keep Alive 60
                   "00 05 6f 75 7a 65 6c"));  // Client Identifier "ouzel"
}

// 3.1.1 §3.1.2.3-§3.1.2.9 and §3.1.3: every optional field; the Will Message is binary.
TEST(GoldenV311, ConnectFull) {
  ConnectPacket p;
  p.version = kV311;
  p.client_id = "id";
  p.clean_start = false;
  p.keep_alive = 300;
  p.will = Will{"t", std::string("\x00\xff", 2), 2, false, {}};
  p.username = "user";
  p.password = std::string("\x01\x02", 2);
  ExpectGolden(p, kV311,
               Hex("10 1f"              // CONNECT, Remaining Length 31
                   "00 04 4d 51 54 54"  // Protocol Name "MQTT"
                   "04"                 // Protocol Level 4
                   "d4"                 // flags: User Name, Password, Will QoS 2, Will Flag
                   "01 2c"              // Keep Alive 300
                   "00 02 69 64"        // Client Identifier "id"
                   "00 01 74"           // Will Topic "t"
                   "00 02 00 ff"        // Will Message 00 ff
                   "00 04 75 73 65 72"  // User Name "user"
                   "00 02 01 02"));     // Password 01 02
}

// 3.1.1 §3.2.2: Connect Acknowledge Flags (Session Present) and Connect Return code.
TEST(GoldenV311, ConnackSessionPresent) {
  ConnackPacket p;
  p.session_present = true;
  ExpectGolden(p, kV311,
               Hex("20 02"  // CONNACK, Remaining Length 2
                   "01"     // Session Present
                   "00"));  // Connection Accepted
}

TEST(GoldenV311, ConnackRefused) {
  ConnackPacket p;
  p.reason_code = 0x02;
  ExpectGolden(p, kV311,
               Hex("20 02"  // CONNACK, Remaining Length 2
                   "00"     // no Session Present [MQTT-3.2.2-4]
                   "02"));  // Connection Refused, identifier rejected
}

// 3.1.1 §3.3.1-§3.3.3: DUP and QoS 1 in the fixed header, Topic Name, Packet Identifier, payload.
TEST(GoldenV311, PublishQos1Dup) {
  PublishPacket p;
  p.topic = "a/b";
  p.qos = 1;
  p.dup = true;
  p.packet_id = 10;
  p.payload = "hello";
  ExpectGolden(p, kV311,
               Hex("3a 0c"              // PUBLISH, DUP 1, QoS 1, RETAIN 0, Remaining Length 12
                   "00 03 61 2f 62"     // Topic Name "a/b"
                   "00 0a"              // Packet Identifier 10
                   "68 65 6c 6c 6f"));  // payload "hello"
}

// 3.1.1 §2.2.3: a Remaining Length of 205 takes two bytes (0xcd 0x01).
TEST(GoldenV311, PublishTwoByteRemainingLength) {
  PublishPacket p;
  p.topic = "a/b";
  p.qos = 2;
  p.retain = true;
  p.packet_id = 0x0102;
  p.payload = std::string(198, 'x');
  std::vector<uint8_t> golden =
      Hex("35 cd 01"                      // PUBLISH, QoS 2, RETAIN 1, Remaining Length 205
          "00 03 61 2f 62"                // Topic Name "a/b"
          "01 02");                       // Packet Identifier 258
  golden.insert(golden.end(), 198, 'x');  // payload
  ExpectGolden(p, kV311, golden);
}

// 3.1.1 §3.4-§3.7: the Packet Identifier only; PUBREL has flags 0010 [MQTT-3.6.1-1].
TEST(GoldenV311, Puback) {
  ExpectGolden(MakeAck<PubackPacket>(0xabcd), kV311,
               Hex("40 02"     // PUBACK, Remaining Length 2
                   "ab cd"));  // Packet Identifier 43981
}

TEST(GoldenV311, Pubrec) {
  ExpectGolden(MakeAck<PubrecPacket>(2), kV311,
               Hex("50 02"     // PUBREC, Remaining Length 2
                   "00 02"));  // Packet Identifier 2
}

TEST(GoldenV311, Pubrel) {
  ExpectGolden(MakeAck<PubrelPacket>(3), kV311,
               Hex("62 02"     // PUBREL, reserved flags 0010, Remaining Length 2
                   "00 03"));  // Packet Identifier 3
}

TEST(GoldenV311, Pubcomp) {
  ExpectGolden(MakeAck<PubcompPacket>(4), kV311,
               Hex("70 02"     // PUBCOMP, Remaining Length 2
                   "00 04"));  // Packet Identifier 4
}

// 3.1.1 §3.8: the non-normative example of Table 3.6 / Figure 3.22 ("a/b" QoS 1, "c/d" QoS 2)
// with Packet Identifier 10 (Figure 3.21).
TEST(GoldenV311, Subscribe) {
  SubscribePacket p;
  p.packet_id = 10;
  p.subscriptions = {{"a/b", 1}, {"c/d", 2}};
  ExpectGolden(p, kV311,
               Hex("82 0e"                 // SUBSCRIBE, reserved flags 0010, Remaining Length 14
                   "00 0a"                 // Packet Identifier 10
                   "00 03 61 2f 62 01"     // "a/b", Requested QoS 1
                   "00 03 63 2f 64 02"));  // "c/d", Requested QoS 2
}

// 3.1.1 §3.9.3: return codes 0x00-0x02 (granted QoS) and 0x80 (failure).
TEST(GoldenV311, Suback) {
  SubackPacket p;
  p.packet_id = 10;
  p.reason_codes = {0x01, 0x02, 0x80};
  ExpectGolden(p, kV311,
               Hex("90 05"        // SUBACK, Remaining Length 5
                   "00 0a"        // Packet Identifier 10
                   "01 02 80"));  // Success QoS 1, Success QoS 2, Failure
}

// 3.1.1 §3.10: the non-normative example of Figure 3.28 ("a/b", "c/d").
TEST(GoldenV311, Unsubscribe) {
  UnsubscribePacket p;
  p.packet_id = 2;
  p.filters = {"a/b", "c/d"};
  ExpectGolden(p, kV311,
               Hex("a2 0c"              // UNSUBSCRIBE, reserved flags 0010, Remaining Length 12
                   "00 02"              // Packet Identifier 2
                   "00 03 61 2f 62"     // "a/b"
                   "00 03 63 2f 64"));  // "c/d"
}

// 3.1.1 §3.11: Remaining Length 2, the Packet Identifier only.
TEST(GoldenV311, Unsuback) {
  UnsubackPacket p;
  p.packet_id = 2;
  ExpectGolden(p, kV311,
               Hex("b0 02"     // UNSUBACK, Remaining Length 2
                   "00 02"));  // Packet Identifier 2
}

// 3.1.1 §3.12-§3.14.
TEST(GoldenV311, Pingreq) { ExpectGolden(PingreqPacket{}, kV311, Hex("c0 00")); }
TEST(GoldenV311, Pingresp) { ExpectGolden(PingrespPacket{}, kV311, Hex("d0 00")); }
TEST(GoldenV311, Disconnect) { ExpectGolden(DisconnectPacket{}, kV311, Hex("e0 00")); }

// =============================================================================================
// MQTT 5.0 (OASIS Standard, 7 March 2019)
// =============================================================================================

// 5.0 §3.1.2 (Protocol Name "MQTT", Version 5, Connect Flags, Keep Alive, Properties) and §3.1.3
// (Client Identifier, Will Properties, Will Topic, Will Payload, User Name, Password).
TEST(GoldenV5, ConnectFull) {
  ConnectPacket p;
  p.version = kV5;
  p.client_id = "c";
  p.clean_start = true;
  p.keep_alive = 10;
  p.properties.SetInt(PropertyId::kSessionExpiryInterval, 120);
  p.properties.SetInt(PropertyId::kReceiveMaximum, 20);
  p.properties.AddUserProperty("k", "v");
  Will will{"w", "x", 0, false, {}};
  will.properties.SetInt(PropertyId::kWillDelayInterval, 5);
  will.properties.SetInt(PropertyId::kPayloadFormatIndicator, 1);
  p.will = will;
  p.username = "u";
  p.password = "p";
  ExpectGolden(p, kV5,
               Hex("10 31"                 // CONNECT, Remaining Length 49
                   "00 04 4d 51 54 54"     // Protocol Name "MQTT"
                   "05"                    // Protocol Version 5
                   "c6"                    // flags: User Name, Password, Will Flag, Clean Start
                   "00 0a"                 // Keep Alive 10
                   "0f"                    // Property Length 15
                   "11 00 00 00 78"        //   Session Expiry Interval 120
                   "21 00 14"              //   Receive Maximum 20
                   "26 00 01 6b 00 01 76"  // User Property "k" = "v"
                   "00 01 63"              // Client Identifier "c"
                   "07"                    // Will Properties Length 7
                   "18 00 00 00 05"        //   Will Delay Interval 5
                   "01 01"                 //   Payload Format Indicator 1 (UTF-8)
                   "00 01 77"              // Will Topic "w"
                   "00 01 78"              // Will Payload "x"
                   "00 01 75"              // User Name "u"
                   "00 01 70"));           // Password "p"
}

// 5.0 §3.1.2.9: a Password without a User Name is allowed in MQTT 5; §3.1.3.1: an empty Client
// Identifier is well formed.
TEST(GoldenV5, ConnectPasswordWithoutUserName) {
  ConnectPacket p;
  p.version = kV5;
  p.client_id = "";
  p.keep_alive = 0;
  p.password = "pw";
  ExpectGolden(p, kV5,
               Hex("10 11"              // CONNECT, Remaining Length 17
                   "00 04 4d 51 54 54"  // Protocol Name "MQTT"
                   "05"                 // Protocol Version 5
                   "42"                 // flags: Password, Clean Start
                   "00 00"              // Keep Alive 0
                   "00"                 // Property Length 0
                   "00 00"              // Client Identifier ""
                   "00 02 70 77"));     // Password "pw"
}

// 5.0 §3.2.2: Connect Acknowledge Flags, Connect Reason Code, CONNACK Properties.
TEST(GoldenV5, ConnackWithProperties) {
  ConnackPacket p;
  p.properties.SetInt(PropertyId::kTopicAliasMaximum, 10);
  p.properties.SetString(PropertyId::kAssignedClientIdentifier, "abc");
  p.properties.SetInt(PropertyId::kMaximumQos, 1);
  ExpectGolden(p, kV5,
               Hex("20 0e"              // CONNACK, Remaining Length 14
                   "00"                 // Session Present 0
                   "00"                 // Success
                   "0b"                 // Property Length 11
                   "22 00 0a"           //   Topic Alias Maximum 10
                   "12 00 03 61 62 63"  //   Assigned Client Identifier "abc"
                   "24 01"));           //   Maximum QoS 1
}

TEST(GoldenV5, ConnackSessionPresent) {
  ConnackPacket p;
  p.session_present = true;
  ExpectGolden(p, kV5,
               Hex("20 03"  // CONNACK, Remaining Length 3
                   "01"     // Session Present
                   "00"     // Success
                   "00"));  // Property Length 0 (always present in CONNACK)
}

TEST(GoldenV5, ConnackNotAuthorized) {
  ConnackPacket p;
  p.reason_code = 0x87;
  ExpectGolden(p, kV5,
               Hex("20 03"  // CONNACK, Remaining Length 3
                   "00"     // Session Present 0 [MQTT-3.2.2-6]
                   "87"     // Not authorized
                   "00"));  // Property Length 0
}

// 5.0 §3.3.2: Topic Name, Packet Identifier, then PUBLISH Properties (§3.3.2.3), then payload.
// Two Subscription Identifiers, one needing a two-byte Variable Byte Integer (§3.3.2.3.8).
TEST(GoldenV5, PublishWithProperties) {
  PublishPacket p;
  p.topic = "t/1";
  p.qos = 2;
  p.retain = true;
  p.packet_id = 0x1234;
  p.payload = "{}";
  p.properties.SetInt(PropertyId::kPayloadFormatIndicator, 1);
  p.properties.SetInt(PropertyId::kMessageExpiryInterval, 60);
  p.properties.SetString(PropertyId::kContentType, "text");
  p.properties.SetString(PropertyId::kResponseTopic, "r");
  p.properties.SetString(PropertyId::kCorrelationData, std::string("\x01\x02", 2));
  p.properties.AddUserProperty("a", "b");
  p.properties.AddSubscriptionIdentifier(5);
  p.properties.AddSubscriptionIdentifier(129);
  ExpectGolden(p, kV5,
               Hex("35 2d"                 // PUBLISH, QoS 2, RETAIN 1, Remaining Length 45
                   "00 03 74 2f 31"        // Topic Name "t/1"
                   "12 34"                 // Packet Identifier 0x1234
                   "23"                    // Property Length 35
                   "01 01"                 //   Payload Format Indicator 1
                   "02 00 00 00 3c"        //   Message Expiry Interval 60
                   "03 00 04 74 65 78 74"  //   Content Type "text"
                   "08 00 01 72"           //   Response Topic "r"
                   "09 00 02 01 02"        //   Correlation Data 01 02
                   "26 00 01 61 00 01 62"  //   User Property "a" = "b"
                   "0b 05"                 //   Subscription Identifier 5
                   "0b 81 01"              //   Subscription Identifier 129
                   "7b 7d"));              // payload "{}"
}

// 5.0 §3.3.2.1 / §3.3.2.3.4: a zero-length Topic Name with a Topic Alias.
TEST(GoldenV5, PublishTopicAliasOnly) {
  PublishPacket p;
  p.properties.SetInt(PropertyId::kTopicAlias, 5);
  p.payload = "x";
  ExpectGolden(p, kV5,
               Hex("30 07"     // PUBLISH, QoS 0, Remaining Length 7
                   "00 00"     // Topic Name ""
                   "03"        // Property Length 3
                   "23 00 05"  //   Topic Alias 5
                   "78"));     // payload "x"
}

// 5.0 §3.4.2.1: Success without properties leaves out the Reason Code and Property Length.
TEST(GoldenV5, PubackShort) {
  ExpectGolden(MakeAck<PubackPacket>(7), kV5,
               Hex("40 02"     // PUBACK, Remaining Length 2
                   "00 07"));  // Packet Identifier 7
}

// 5.0 §3.4.2.2.1: below Remaining Length 4 there is no Property Length.
TEST(GoldenV5, PubackReasonCodeOnly) {
  ExpectGolden(MakeAck<PubackPacket>(7, 0x10), kV5,
               Hex("40 03"  // PUBACK, Remaining Length 3
                   "00 07"  // Packet Identifier 7
                   "10"));  // No matching subscribers
}

TEST(GoldenV5, PubackLong) {
  Properties props;
  props.SetString(PropertyId::kReasonString, "no");
  ExpectGolden(MakeAck<PubackPacket>(7, 0x87, props), kV5,
               Hex("40 09"              // PUBACK, Remaining Length 9
                   "00 07"              // Packet Identifier 7
                   "87"                 // Not authorized
                   "05"                 // Property Length 5
                   "1f 00 02 6e 6f"));  //   Reason String "no"
}

TEST(GoldenV5, PubackSuccessWithProperties) {
  Properties props;
  props.AddUserProperty("a", "b");
  ExpectGolden(MakeAck<PubackPacket>(8, 0x00, props), kV5,
               Hex("40 0b"                    // PUBACK, Remaining Length 11
                   "00 08"                    // Packet Identifier 8
                   "00"                       // Success (present: properties follow)
                   "07"                       // Property Length 7
                   "26 00 01 61 00 01 62"));  //   User Property "a" = "b"
}

// 5.0 §3.5.2: PUBREC in its short, reason-only and long forms.
TEST(GoldenV5, PubrecShort) {
  ExpectGolden(MakeAck<PubrecPacket>(2), kV5,
               Hex("50 02"     // PUBREC, Remaining Length 2
                   "00 02"));  // Packet Identifier 2
}

TEST(GoldenV5, PubrecReasonCodeOnly) {
  ExpectGolden(MakeAck<PubrecPacket>(2, 0x80), kV5,
               Hex("50 03"  // PUBREC, Remaining Length 3
                   "00 02"  // Packet Identifier 2
                   "80"));  // Unspecified error
}

TEST(GoldenV5, PubrecLong) {
  Properties props;
  props.SetString(PropertyId::kReasonString, "x");
  ExpectGolden(MakeAck<PubrecPacket>(2, 0x91, props), kV5,
               Hex("50 08"           // PUBREC, Remaining Length 8
                   "00 02"           // Packet Identifier 2
                   "91"              // Packet Identifier in use
                   "04"              // Property Length 4
                   "1f 00 01 78"));  //   Reason String "x"
}

// 5.0 §3.6: PUBREL (fixed header flags 0010 [MQTT-3.6.1-1]) in its three forms.
TEST(GoldenV5, PubrelShort) {
  ExpectGolden(MakeAck<PubrelPacket>(3), kV5,
               Hex("62 02"     // PUBREL, Remaining Length 2
                   "00 03"));  // Packet Identifier 3
}

TEST(GoldenV5, PubrelReasonCodeOnly) {
  ExpectGolden(MakeAck<PubrelPacket>(3, 0x92), kV5,
               Hex("62 03"  // PUBREL, Remaining Length 3
                   "00 03"  // Packet Identifier 3
                   "92"));  // Packet Identifier not found
}

TEST(GoldenV5, PubrelLong) {
  Properties props;
  props.AddUserProperty("k", "v");
  ExpectGolden(MakeAck<PubrelPacket>(3, 0x92, props), kV5,
               Hex("62 0b"                    // PUBREL, Remaining Length 11
                   "00 03"                    // Packet Identifier 3
                   "92"                       // Packet Identifier not found
                   "07"                       // Property Length 7
                   "26 00 01 6b 00 01 76"));  //   User Property "k" = "v"
}

// 5.0 §3.7: PUBCOMP in its three forms.
TEST(GoldenV5, PubcompShort) {
  ExpectGolden(MakeAck<PubcompPacket>(4), kV5,
               Hex("70 02"     // PUBCOMP, Remaining Length 2
                   "00 04"));  // Packet Identifier 4
}

TEST(GoldenV5, PubcompReasonCodeOnly) {
  ExpectGolden(MakeAck<PubcompPacket>(4, 0x92), kV5,
               Hex("70 03"  // PUBCOMP, Remaining Length 3
                   "00 04"  // Packet Identifier 4
                   "92"));  // Packet Identifier not found
}

TEST(GoldenV5, PubcompLong) {
  Properties props;
  props.SetString(PropertyId::kReasonString, "gone");
  ExpectGolden(MakeAck<PubcompPacket>(4, 0x92, props), kV5,
               Hex("70 0b"                    // PUBCOMP, Remaining Length 11
                   "00 04"                    // Packet Identifier 4
                   "92"                       // Packet Identifier not found
                   "07"                       // Property Length 7
                   "1f 00 04 67 6f 6e 65"));  //   Reason String "gone"
}

// 5.0 §3.8.2-§3.8.3: Packet Identifier, SUBSCRIBE Properties, then Topic Filter / Subscription
// Options pairs (§3.8.3.1: bits 0-1 QoS, 2 No Local, 3 Retain As Published, 4-5 Retain Handling).
TEST(GoldenV5, Subscribe) {
  SubscribePacket p;
  p.packet_id = 10;
  p.properties.AddSubscriptionIdentifier(300);
  p.properties.AddUserProperty("a", "b");
  Subscription first{"a/+", 1};
  first.no_local = true;
  first.retain_as_published = true;
  first.retain_handling = 2;
  Subscription shared{"$share/g/x", 2};
  shared.retain_handling = 1;
  p.subscriptions = {first, shared};
  ExpectGolden(p, kV5,
               Hex("82 20"                 // SUBSCRIBE, reserved flags 0010, Remaining Length 32
                   "00 0a"                 // Packet Identifier 10
                   "0a"                    // Property Length 10
                   "0b ac 02"              //   Subscription Identifier 300
                   "26 00 01 61 00 01 62"  //   User Property "a" = "b"
                   "00 03 61 2f 2b"        // Topic Filter "a/+"
                   "2d"  // options: Retain Handling 2, Retain As Published, No Local, QoS 1
                   "00 0a 24 73 68 61 72 65 2f 67 2f 78"  // Topic Filter "$share/g/x"
                   "12"));                                // options: Retain Handling 1, QoS 2
}

// 5.0 §3.9: Packet Identifier, SUBACK Properties, one Reason Code per Topic Filter.
TEST(GoldenV5, Suback) {
  SubackPacket p;
  p.packet_id = 10;
  p.properties.SetString(PropertyId::kReasonString, "ok");
  p.reason_codes = {0x01, 0x02, 0x8f};
  ExpectGolden(p, kV5,
               Hex("90 0b"           // SUBACK, Remaining Length 11
                   "00 0a"           // Packet Identifier 10
                   "05"              // Property Length 5
                   "1f 00 02 6f 6b"  //   Reason String "ok"
                   "01 02 8f"));     // Granted QoS 1, Granted QoS 2, Topic Filter invalid
}

TEST(GoldenV5, SubackNoProperties) {
  SubackPacket p;
  p.packet_id = 10;
  p.reason_codes = {0x00};
  ExpectGolden(p, kV5,
               Hex("90 04"  // SUBACK, Remaining Length 4
                   "00 0a"  // Packet Identifier 10
                   "00"     // Property Length 0 (always present)
                   "00"));  // Granted QoS 0
}

// 5.0 §3.10: Packet Identifier, UNSUBSCRIBE Properties, Topic Filters.
TEST(GoldenV5, Unsubscribe) {
  UnsubscribePacket p;
  p.packet_id = 2;
  p.properties.AddUserProperty("k", "v");
  p.filters = {"a/#"};
  ExpectGolden(p, kV5,
               Hex("a2 0f"                 // UNSUBSCRIBE, reserved flags 0010, Remaining Length 15
                   "00 02"                 // Packet Identifier 2
                   "07"                    // Property Length 7
                   "26 00 01 6b 00 01 76"  //   User Property "k" = "v"
                   "00 03 61 2f 23"));     // Topic Filter "a/#"
}

// 5.0 §3.11: Packet Identifier, UNSUBACK Properties, one Reason Code per Topic Filter.
TEST(GoldenV5, Unsuback) {
  UnsubackPacket p;
  p.packet_id = 2;
  p.reason_codes = {0x00, 0x11};
  ExpectGolden(p, kV5,
               Hex("b0 05"     // UNSUBACK, Remaining Length 5
                   "00 02"     // Packet Identifier 2
                   "00"        // Property Length 0
                   "00 11"));  // Success, No subscription existed
}

TEST(GoldenV5, UnsubackWithProperties) {
  UnsubackPacket p;
  p.packet_id = 2;
  p.properties.SetString(PropertyId::kReasonString, "z");
  p.reason_codes = {0x8f};
  ExpectGolden(p, kV5,
               Hex("b0 08"        // UNSUBACK, Remaining Length 8
                   "00 02"        // Packet Identifier 2
                   "04"           // Property Length 4
                   "1f 00 01 7a"  //   Reason String "z"
                   "8f"));        // Topic Filter invalid
}

// 5.0 §3.12, §3.13.
TEST(GoldenV5, Pingreq) { ExpectGolden(PingreqPacket{}, kV5, Hex("c0 00")); }
TEST(GoldenV5, Pingresp) { ExpectGolden(PingrespPacket{}, kV5, Hex("d0 00")); }

// 5.0 §3.14.2.1: Normal disconnection without properties is the fixed header alone.
TEST(GoldenV5, DisconnectShort) { ExpectGolden(DisconnectPacket{}, kV5, Hex("e0 00")); }

// 5.0 §3.14.2.2.1: below Remaining Length 2 there is no Property Length.
TEST(GoldenV5, DisconnectReasonCodeOnly) {
  DisconnectPacket p;
  p.reason_code = 0x04;
  ExpectGolden(p, kV5,
               Hex("e0 01"  // DISCONNECT, Remaining Length 1
                   "04"));  // Disconnect with Will Message
}

TEST(GoldenV5, DisconnectLong) {
  DisconnectPacket p;
  p.reason_code = 0x9c;
  p.properties.SetString(PropertyId::kServerReference, "srv");
  ExpectGolden(p, kV5,
               Hex("e0 08"                 // DISCONNECT, Remaining Length 8
                   "9c"                    // Use another server
                   "06"                    // Property Length 6
                   "1c 00 03 73 72 76"));  //   Server Reference "srv"
}

TEST(GoldenV5, DisconnectNormalWithProperties) {
  DisconnectPacket p;
  p.properties.SetInt(PropertyId::kSessionExpiryInterval, 0);
  ExpectGolden(p, kV5,
               Hex("e0 07"              // DISCONNECT, Remaining Length 7
                   "00"                 // Normal disconnection
                   "05"                 // Property Length 5
                   "11 00 00 00 00"));  //   Session Expiry Interval 0
}

// 5.0 §3.15.2.1: Success without properties is the fixed header alone.
TEST(GoldenV5, AuthShort) { ExpectGolden(AuthPacket{}, kV5, Hex("f0 00")); }

// 5.0 §3.15.2: Authenticate Reason Code, then AUTH Properties with the Authentication Method
// (§3.15.2.2.2) and Data (§3.15.2.2.3).
TEST(GoldenV5, AuthLong) {
  AuthPacket p;
  p.reason_code = 0x18;
  p.properties.SetString(PropertyId::kAuthenticationMethod, "SCRAM");
  p.properties.SetString(PropertyId::kAuthenticationData, std::string("\x01\x02\x03", 3));
  ExpectGolden(p, kV5,
               Hex("f0 10"                    // AUTH, Remaining Length 16
                   "18"                       // Continue authentication
                   "0e"                       // Property Length 14
                   "15 00 05 53 43 52 41 4d"  //   Authentication Method "SCRAM"
                   "16 00 03 01 02 03"));     //   Authentication Data 01 02 03
}

// Every type at every level has a golden above; this pins that the list is complete.
TEST(Golden, EveryTypeAtEveryLevelIsCovered) {
  const std::vector<std::string> names = {"Connect",  "Connack",     "Publish",  "Puback",
                                          "Pubrec",   "Pubrel",      "Pubcomp",  "Subscribe",
                                          "Suback",   "Unsubscribe", "Unsuback", "Pingreq",
                                          "Pingresp", "Disconnect",  "Auth"};
  const ::testing::UnitTest* unit = ::testing::UnitTest::GetInstance();
  for (const char* suite : {"GoldenV31", "GoldenV311", "GoldenV5"}) {
    for (const std::string& name : names) {
      if (name == "Auth" && std::string(suite) != "GoldenV5") continue;
      bool found = false;
      for (int i = 0; i < unit->total_test_suite_count(); ++i) {
        const ::testing::TestSuite* ts = unit->GetTestSuite(i);
        if (std::string(ts->name()) != suite) continue;
        for (int j = 0; j < ts->total_test_count(); ++j) {
          if (std::string(ts->GetTestInfo(j)->name()).rfind(name, 0) == 0) found = true;
        }
      }
      EXPECT_TRUE(found) << suite << " has no golden for " << name;
    }
  }
}

}  // namespace
}  // namespace ouzel
