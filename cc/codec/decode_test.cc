// One negative test per rule DecodePacket enforces, named after the rule: each asserts the reason
// code the session must disconnect with (0x81 Malformed Packet or 0x82 Protocol Error), the rule
// cited and the offset of the offending byte counted from the packet's first byte. Then the
// alternative wire forms a receiver must accept, and a truncation sweep.
#include "cc/codec/decode.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/encode.h"
#include "cc/codec/packet_test_util.h"
#include "cc/codec/packets.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

constexpr ProtocolVersion kV31 = ProtocolVersion::kV31;
constexpr ProtocolVersion kV311 = ProtocolVersion::kV311;
constexpr ProtocolVersion kV5 = ProtocolVersion::kV5;
constexpr uint8_t kMalformed = kReasonMalformedPacket;
constexpr uint8_t kProtocol = kReasonProtocolError;

absl::Status DecodeStatus(ProtocolVersion v, absl::string_view hex) {
  absl::StatusOr<Packet> p = DecodeWhole(Hex(hex), v);
  if (p.ok()) return absl::OkStatus();
  return p.status();
}

Packet DecodeOk(ProtocolVersion v, absl::string_view hex) {
  absl::StatusOr<Packet> p = DecodeWhole(Hex(hex), v);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : Packet(PingreqPacket{});
}

#define EXPECT_DECODE_ERROR(version, hex, reason, rule, offset) \
  EXPECT_TRUE(IsDecodeError(DecodeStatus(version, hex), reason, rule, offset))

// ---------------------------------------------------------------------------------------------
// Fixed header

// 5.0 §2.1.2, 3.1.1 §2.2.1: packet type 0 is reserved.
TEST(DecodeFixedHeader, PacketType0_IsMalformed) {
  EXPECT_DECODE_ERROR(kV5, "00 00", kMalformed, "MQTT-5.0 §2.1.2", 0);
  EXPECT_DECODE_ERROR(kV311, "00 00", kMalformed, "MQTT-3.1.1 §2.2.1", 0);
  EXPECT_DECODE_ERROR(kV31, "00 00", kMalformed, "MQTT-3.1.1 §2.2.1", 0);
}

// 3.1.1 §2.2.1: type 15 is "Reserved, Forbidden" before MQTT 5 made it AUTH.
TEST(DecodeFixedHeader, Auth_BeforeMqtt5_IsMalformed_MQTT_3_1_1_2_2_1) {
  EXPECT_DECODE_ERROR(kV311, "f0 00", kMalformed, "MQTT-3.1.1 §2.2.1", 0);
  EXPECT_DECODE_ERROR(kV31, "f0 00", kMalformed, "MQTT-3.1.1 §2.2.1", 0);
}

// Valid bodies for every type but PUBLISH and CONNECT, keyed by type, for the flag sweep.
struct FlagCase {
  uint8_t type_nibble;
  uint8_t reserved_flags;
  const char* body_v311;
  const char* body_v5;
};
constexpr FlagCase kFlagCases[] = {
    {0x2, 0x0, "02 00 00", "03 00 00 00"},                          // CONNACK
    {0x4, 0x0, "02 00 01", "02 00 01"},                             // PUBACK
    {0x5, 0x0, "02 00 01", "02 00 01"},                             // PUBREC
    {0x6, 0x2, "02 00 01", "02 00 01"},                             // PUBREL
    {0x7, 0x0, "02 00 01", "02 00 01"},                             // PUBCOMP
    {0x8, 0x2, "06 00 01 00 01 61 00", "07 00 01 00 00 01 61 00"},  // SUBSCRIBE
    {0x9, 0x0, "03 00 01 00", "04 00 01 00 00"},                    // SUBACK
    {0xA, 0x2, "05 00 01 00 01 61", "06 00 01 00 00 01 61"},        // UNSUBSCRIBE
    {0xB, 0x0, "02 00 01", "04 00 01 00 00"},                       // UNSUBACK
    {0xC, 0x0, "00", "00"},                                         // PINGREQ
    {0xD, 0x0, "00", "00"},                                         // PINGRESP
    {0xE, 0x0, "00", "00"},                                         // DISCONNECT
    {0xF, 0x0, nullptr, "00"},                                      // AUTH
};

std::string WithFirstByte(uint8_t first, const char* body) {
  const char digits[] = "0123456789abcdef";
  return std::string{digits[first >> 4], digits[first & 0xF], ' '} + body;
}

// 5.0 §2.1.3: reserved flags MUST be the listed value [MQTT-2.1.3-1]; anything else is Malformed.
TEST(DecodeFixedHeader, ReservedFlags_AnyOtherValue_IsMalformed_MQTT_2_1_3_1) {
  for (const FlagCase& c : kFlagCases) {
    const uint8_t good = static_cast<uint8_t>(c.type_nibble << 4 | c.reserved_flags);
    EXPECT_TRUE(DecodeStatus(kV5, WithFirstByte(good, c.body_v5)).ok()) << int{c.type_nibble};
    for (uint8_t flags = 0; flags < 16; ++flags) {
      if (flags == c.reserved_flags) continue;
      const uint8_t bad = static_cast<uint8_t>(c.type_nibble << 4 | flags);
      SCOPED_TRACE(WithFirstByte(bad, c.body_v5));
      EXPECT_DECODE_ERROR(kV5, WithFirstByte(bad, c.body_v5), kMalformed, "MQTT-2.1.3-1", 0);
    }
  }
}

// 3.1.1 §2.2.2: [MQTT-2.2.2-1] reserved flags are fixed; [MQTT-2.2.2-2] invalid ones close the
// connection.
TEST(DecodeFixedHeader, ReservedFlags_AnyOtherValue_IsMalformed_MQTT_2_2_2_1) {
  for (const FlagCase& c : kFlagCases) {
    if (c.body_v311 == nullptr) continue;
    const uint8_t good = static_cast<uint8_t>(c.type_nibble << 4 | c.reserved_flags);
    EXPECT_TRUE(DecodeStatus(kV311, WithFirstByte(good, c.body_v311)).ok()) << int{c.type_nibble};
    for (uint8_t flags = 0; flags < 16; ++flags) {
      if (flags == c.reserved_flags) continue;
      const uint8_t bad = static_cast<uint8_t>(c.type_nibble << 4 | flags);
      SCOPED_TRACE(WithFirstByte(bad, c.body_v311));
      EXPECT_DECODE_ERROR(kV311, WithFirstByte(bad, c.body_v311), kMalformed, "MQTT-2.2.2-1", 0);
    }
  }
}

// [MQTT-3.6.1-1], [MQTT-3.8.1-1], [MQTT-3.10.1-1]: PUBREL, SUBSCRIBE and UNSUBSCRIBE carry 0010.
TEST(DecodeFixedHeader, Pubrel_Flags0000_IsMalformed_MQTT_3_6_1_1) {
  EXPECT_DECODE_ERROR(kV311, "60 02 00 01", kMalformed, "MQTT-2.2.2-1", 0);
  EXPECT_DECODE_ERROR(kV5, "60 02 00 01", kMalformed, "MQTT-2.1.3-1", 0);
}

// MQTT 3.1 §3.6, §3.8, §3.10: PUBREL, SUBSCRIBE and UNSUBSCRIBE are sent at QoS 1 and retried like
// a PUBLISH, so DUP may be set; RETAIN is "not used". Only their QoS bits are checked.
TEST(DecodeFixedHeader, V31_SubscribeRetryWithDup_IsAccepted) {
  Packet p = DecodeOk(kV31, "8a 06 00 01 00 01 61 00");
  EXPECT_EQ(TypeOf(p), PacketType::kSubscribe);
  DecodeOk(kV31, "6b 02 00 01");           // PUBREL with DUP and RETAIN
  DecodeOk(kV31, "a3 05 00 01 00 01 61");  // UNSUBSCRIBE with RETAIN
}

TEST(DecodeFixedHeader, V31_SubscribeNotAtQos1_IsMalformed) {
  EXPECT_DECODE_ERROR(kV31, "80 06 00 01 00 01 61 00", kMalformed, "MQTT-3.1 §3.8", 0);
  EXPECT_DECODE_ERROR(kV31, "64 02 00 01", kMalformed, "MQTT-3.1 §3.6", 0);
  EXPECT_DECODE_ERROR(kV31, "a0 05 00 01 00 01 61", kMalformed, "MQTT-3.1 §3.10", 0);
}

// MQTT 3.1 §2.1 marks the flags of the other packets "not used" (x): a 3.1 receiver ignores them.
TEST(DecodeFixedHeader, V31_UnusedFlags_AreIgnored) {
  EXPECT_EQ(DecodeOk(kV31, "c9 00"), Packet(PingreqPacket{}));
  EXPECT_EQ(TypeOf(DecodeOk(kV31, "4f 02 00 01")), PacketType::kPuback);
}

// ---------------------------------------------------------------------------------------------
// PUBLISH

TEST(DecodePublish, Qos3_IsMalformed_MQTT_3_3_1_4) {
  EXPECT_DECODE_ERROR(kV5, "36 08 00 03 61 2f 62 00 01 00", kMalformed, "MQTT-3.3.1-4", 0);
  EXPECT_DECODE_ERROR(kV311, "36 07 00 03 61 2f 62 00 01", kMalformed, "MQTT-3.3.1-4", 0);
  EXPECT_DECODE_ERROR(kV31, "37 07 00 03 61 2f 62 00 01", kMalformed, "MQTT-3.3.1-4", 0);
}

TEST(DecodePublish, DupWithQos0_IsMalformed_MQTT_3_3_1_2) {
  EXPECT_DECODE_ERROR(kV5, "38 06 00 03 61 2f 62 00", kMalformed, "MQTT-3.3.1-2", 0);
  EXPECT_DECODE_ERROR(kV311, "38 05 00 03 61 2f 62", kMalformed, "MQTT-3.3.1-2", 0);
}

// The offset is that of the wildcard itself: 2 (fixed header) + 2 (length) + its index.
TEST(DecodePublish, TopicWithWildcard_IsProtocolError_MQTT_3_3_2_2) {
  EXPECT_DECODE_ERROR(kV311, "30 05 00 03 61 2f 23", kProtocol, "MQTT-3.3.2-2", 6);
  EXPECT_DECODE_ERROR(kV5, "30 06 00 03 61 2b 62 00", kProtocol, "MQTT-3.3.2-2", 5);
}

TEST(DecodePublish, EmptyTopic_Mqtt3_IsProtocolError_MQTT_4_7_3_1) {
  EXPECT_DECODE_ERROR(kV311, "30 03 00 00 78", kProtocol, "MQTT-4.7.3-1", 2);
  EXPECT_DECODE_ERROR(kV31, "30 03 00 00 78", kProtocol, "MQTT-4.7.3-1", 2);
}

// 5.0 §3.3.2.1: "It is a Protocol Error if the Topic Name is zero length and there is no Topic
// Alias."
TEST(DecodePublish, EmptyTopicWithoutTopicAlias_IsProtocolError_MQTT_5_0_3_3_2_1) {
  EXPECT_DECODE_ERROR(kV5, "30 04 00 00 00 78", kProtocol, "MQTT-5.0 §3.3.2.1", 2);
}

TEST(DecodePublish, PacketId0_IsProtocolError_MQTT_2_2_1_3) {
  EXPECT_DECODE_ERROR(kV5, "32 06 00 01 61 00 00 00", kProtocol, "MQTT-2.2.1-3", 5);
  EXPECT_DECODE_ERROR(kV311, "34 05 00 01 61 00 00", kProtocol, "MQTT-2.3.1-1", 5);
}

TEST(DecodePublish, PacketIdMissing_IsMalformed) {
  EXPECT_DECODE_ERROR(kV311, "32 04 00 01 61 00", kMalformed, "MQTT-5.0 §1.5 data representation",
                      5);
}

// 5.0 §2.2.2.2: a property not allowed in PUBLISH (Session Expiry Interval) is Malformed.
TEST(DecodePublish, PropertyOfAnotherPacket_IsMalformed_MQTT_5_0_2_2_2_2) {
  EXPECT_DECODE_ERROR(kV5, "30 0a 00 01 61 05 11 00 00 00 01 78", kMalformed, "MQTT-5.0 §2.2.2.2",
                      6);
}

// ---------------------------------------------------------------------------------------------
// CONNECT

// 3.1.1 and 5.0 §3.1.2.1: the protocol name is "MQTT" ("MQIsdp" for 3.1).
TEST(DecodeConnect, UnknownProtocolName_IsProtocolError_MQTT_3_1_2_1) {
  EXPECT_DECODE_ERROR(kV311, "10 0d 00 04 4d 51 54 58 04 02 00 3c 00 01 61", kProtocol,
                      "MQTT-3.1.2-1", 2);
}

// §3.1.2.2: an unsupported level (the server answers 0x01 / 0x84); a name and level that
// disagree are just as unsupported.
TEST(DecodeConnect, UnsupportedProtocolLevel_IsProtocolError_MQTT_3_1_2_2) {
  EXPECT_DECODE_ERROR(kV311, "10 0d 00 04 4d 51 54 54 03 02 00 3c 00 01 61", kProtocol,
                      "MQTT-3.1.2-2", 8);
  EXPECT_DECODE_ERROR(kV5, "10 0d 00 04 4d 51 54 54 06 02 00 3c 00 01 61", kProtocol,
                      "MQTT-3.1.2-2", 8);
  EXPECT_DECODE_ERROR(kV31, "10 0f 00 06 4d 51 49 73 64 70 04 02 00 3c 00 01 61", kProtocol,
                      "MQTT-3.1.2-2", 10);
}

TEST(DecodeConnect, FixedHeaderFlags_AreMalformed_MQTT_2_1_3_1) {
  EXPECT_DECODE_ERROR(kV5, "11 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 61", kMalformed,
                      "MQTT-2.1.3-1", 0);
  EXPECT_DECODE_ERROR(kV311, "18 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61", kMalformed,
                      "MQTT-2.2.2-1", 0);
  // MQTT 3.1 marks them "not used".
  DecodeOk(kV31, "1f 0f 00 06 4d 51 49 73 64 70 03 02 00 3c 00 01 61");
}

TEST(DecodeConnect, ReservedConnectFlag_IsMalformed_MQTT_3_1_2_3) {
  EXPECT_DECODE_ERROR(kV311, "10 0d 00 04 4d 51 54 54 04 03 00 3c 00 01 61", kMalformed,
                      "MQTT-3.1.2-3", 9);
  EXPECT_DECODE_ERROR(kV5, "10 0e 00 04 4d 51 54 54 05 03 00 3c 00 00 01 61", kMalformed,
                      "MQTT-3.1.2-3", 9);
}

// Will QoS 1 (0x08) with the Will Flag clear.
TEST(DecodeConnect, WillQosWithoutWillFlag_IsMalformed_MQTT_3_1_2_11) {
  EXPECT_DECODE_ERROR(kV5, "10 0e 00 04 4d 51 54 54 05 0a 00 3c 00 00 01 61", kMalformed,
                      "MQTT-3.1.2-11", 9);
}

TEST(DecodeConnect, WillQosWithoutWillFlag_IsMalformed_MQTT_3_1_2_13_V311) {
  EXPECT_DECODE_ERROR(kV311, "10 0d 00 04 4d 51 54 54 04 0a 00 3c 00 01 61", kMalformed,
                      "MQTT-3.1.2-13", 9);
}

// Will Retain (0x20) with the Will Flag clear.
TEST(DecodeConnect, WillRetainWithoutWillFlag_IsMalformed_MQTT_3_1_2_13) {
  EXPECT_DECODE_ERROR(kV5, "10 0e 00 04 4d 51 54 54 05 22 00 3c 00 00 01 61", kMalformed,
                      "MQTT-3.1.2-13", 9);
}

TEST(DecodeConnect, WillRetainWithoutWillFlag_IsMalformed_MQTT_3_1_2_15_V311) {
  EXPECT_DECODE_ERROR(kV311, "10 0d 00 04 4d 51 54 54 04 22 00 3c 00 01 61", kMalformed,
                      "MQTT-3.1.2-15", 9);
}

// Will QoS 3 (0x18) with the Will Flag (0x04) set.
TEST(DecodeConnect, WillQos3_IsMalformed_MQTT_3_1_2_12) {
  EXPECT_DECODE_ERROR(kV5, "10 14 00 04 4d 51 54 54 05 1e 00 3c 00 00 01 61 00 00 01 74 00 00",
                      kMalformed, "MQTT-3.1.2-12", 9);
}

TEST(DecodeConnect, WillQos3_IsMalformed_MQTT_3_1_2_14_V311) {
  EXPECT_DECODE_ERROR(kV311, "10 12 00 04 4d 51 54 54 04 1e 00 3c 00 01 61 00 01 74 00 00",
                      kMalformed, "MQTT-3.1.2-14", 9);
}

// Password Flag (0x40) without User Name Flag: forbidden in 3.1.1 and 3.1, allowed in 5.0.
TEST(DecodeConnect, PasswordWithoutUserName_IsMalformed_MQTT_3_1_2_22) {
  EXPECT_DECODE_ERROR(kV311, "10 11 00 04 4d 51 54 54 04 42 00 3c 00 01 61 00 02 70 77", kMalformed,
                      "MQTT-3.1.2-22", 9);
  EXPECT_DECODE_ERROR(kV31, "10 13 00 06 4d 51 49 73 64 70 03 42 00 3c 00 01 61 00 02 70 77",
                      kMalformed, "MQTT-3.1.2-22", 11);
  const Packet p = DecodeOk(kV5, "10 12 00 04 4d 51 54 54 05 42 00 3c 00 00 01 61 00 02 70 77");
  EXPECT_EQ(std::get<ConnectPacket>(p).password, "pw");
}

// [MQTT-3.1.2-9]/[MQTT-3.1.2-17]/[MQTT-3.1.2-19]: fields the flags announce must be present.
TEST(DecodeConnect, AnnouncedUserNameMissing_IsMalformed) {
  EXPECT_DECODE_ERROR(kV311, "10 0d 00 04 4d 51 54 54 04 82 00 3c 00 01 61", kMalformed,
                      "MQTT-5.0 §1.5 data representation", 15);
}

// Bytes after the last field the flags announce.
TEST(DecodeConnect, TrailingBytes_AreMalformed_MQTT_3_1_1_2_2_3) {
  EXPECT_DECODE_ERROR(kV311, "10 0e 00 04 4d 51 54 54 04 02 00 3c 00 01 61 ff", kMalformed,
                      "MQTT-3.1.1 §2.2.3", 15);
}

// 5.0 §3.1.3.2: Will Properties are read with the Will context; Session Expiry Interval is a
// CONNECT property, not a Will property.
TEST(DecodeConnect, ConnectPropertyInWillProperties_IsMalformed_MQTT_5_0_2_2_2_2) {
  EXPECT_DECODE_ERROR(kV5,
                      "10 19 00 04 4d 51 54 54 05 06 00 3c 00 00 01 61"
                      "05 11 00 00 00 01 00 01 74 00 00",
                      kMalformed, "MQTT-5.0 §2.2.2.2", 17);
}

// ...and Will Delay Interval is a Will property, not a CONNECT property.
TEST(DecodeConnect, WillPropertyInConnectProperties_IsMalformed_MQTT_5_0_2_2_2_2) {
  EXPECT_DECODE_ERROR(kV5, "10 13 00 04 4d 51 54 54 05 02 00 3c 05 18 00 00 00 01 00 01 61",
                      kMalformed, "MQTT-5.0 §2.2.2.2", 13);
}

// ---------------------------------------------------------------------------------------------
// CONNACK

TEST(DecodeConnack, ReservedAcknowledgeFlags_AreMalformed_MQTT_3_2_2_1) {
  EXPECT_DECODE_ERROR(kV5, "20 03 02 00 00", kMalformed, "MQTT-3.2.2-1", 2);
  EXPECT_DECODE_ERROR(kV311, "20 02 80 00", kMalformed, "MQTT-3.1.1 §3.2.2.1", 2);
}

// MQTT 3.1 §3.2: byte 1 is "Topic Name Compression Response", reserved and not used.
TEST(DecodeConnack, V31_ReservedByte_IsIgnored) {
  const Packet p = DecodeOk(kV31, "20 02 ff 00");
  EXPECT_FALSE(std::get<ConnackPacket>(p).session_present);
}

// 3.1.1 §3.2.2.3: return codes 6-255 are reserved.
TEST(DecodeConnack, Mqtt3ReturnCodeAbove5_IsMalformed_MQTT_3_1_1_3_2_2_3) {
  EXPECT_DECODE_ERROR(kV311, "20 02 00 06", kMalformed, "MQTT-3.1.1 §3.2.2.3", 3);
  EXPECT_DECODE_ERROR(kV31, "20 02 00 80", kMalformed, "MQTT-3.1.1 §3.2.2.3", 3);
}

TEST(DecodeConnack, SessionPresentWithReturnCode_IsProtocolError_MQTT_3_2_2_4) {
  EXPECT_DECODE_ERROR(kV311, "20 02 01 05", kProtocol, "MQTT-3.2.2-4", 2);
}

TEST(DecodeConnack, SessionPresentWithFailure_IsProtocolError_MQTT_3_2_2_6) {
  EXPECT_DECODE_ERROR(kV5, "20 03 01 80 00", kProtocol, "MQTT-3.2.2-6", 2);
}

TEST(DecodeConnack, ReasonCodeNotInTable_IsMalformed_MQTT_3_2_2_8) {
  EXPECT_DECODE_ERROR(kV5, "20 03 00 01 00", kMalformed, "MQTT-3.2.2-8", 3);
  EXPECT_DECODE_ERROR(kV5, "20 03 00 8b 00", kMalformed, "MQTT-3.2.2-8", 3);
}

// A 3.x-only server's answer to a 5.0 CONNECT: its own CONNACK, return code 1 (unacceptable
// protocol version), read as 0x84 Unsupported Protocol Version. Only that exact packet.
TEST(DecodeConnack, V5_Mqtt3RefusalOfTheVersion_ReadAsUnsupportedProtocolVersion) {
  const Packet p = DecodeOk(kV5, "20 02 00 01");
  EXPECT_EQ(std::get<ConnackPacket>(p).reason_code, 0x84);
  EXPECT_TRUE(std::get<ConnackPacket>(p).properties.empty());
  EXPECT_DECODE_ERROR(kV5, "20 02 00 02", kMalformed, "MQTT-3.2.2-8", 3);
  EXPECT_DECODE_ERROR(kV5, "20 02 01 01", kMalformed, "MQTT-3.2.2-8", 3);
}

// [MQTT-2.2.2-1]: a packet without properties still has a Property Length of 0.
TEST(DecodeConnack, V5PropertyLengthMissing_IsMalformed_MQTT_2_2_2_1) {
  EXPECT_DECODE_ERROR(kV5, "20 02 00 00", kMalformed, "MQTT-5.0 §1.5.5", 4);
}

TEST(DecodeConnack, TrailingByte_IsMalformed) {
  EXPECT_DECODE_ERROR(kV311, "20 03 00 00 00", kMalformed, "MQTT-3.1.1 §3.2.1", 4);
}

// ---------------------------------------------------------------------------------------------
// PUBACK, PUBREC, PUBREL, PUBCOMP

TEST(DecodeAcks, PacketId0_IsProtocolError_MQTT_2_2_1_5) {
  EXPECT_DECODE_ERROR(kV5, "40 02 00 00", kProtocol, "MQTT-2.2.1-5", 2);
  EXPECT_DECODE_ERROR(kV5, "50 02 00 00", kProtocol, "MQTT-2.2.1-5", 2);
  EXPECT_DECODE_ERROR(kV5, "62 02 00 00", kProtocol, "MQTT-2.2.1-5", 2);
  EXPECT_DECODE_ERROR(kV5, "70 02 00 00", kProtocol, "MQTT-2.2.1-5", 2);
}

TEST(DecodeAcks, PacketId0_IsProtocolError_MQTT_2_3_1_6_V311) {
  EXPECT_DECODE_ERROR(kV311, "40 02 00 00", kProtocol, "MQTT-2.3.1-6", 2);
  EXPECT_DECODE_ERROR(kV311, "50 02 00 00", kProtocol, "MQTT-2.3.1-6", 2);
  EXPECT_DECODE_ERROR(kV311, "62 02 00 00", kProtocol, "MQTT-2.3.1-6", 2);
  EXPECT_DECODE_ERROR(kV311, "70 02 00 00", kProtocol, "MQTT-3.1.1 §2.3.1", 2);
}

TEST(DecodeAcks, Puback_ReasonCodeNotInTable_IsMalformed_MQTT_3_4_2_1) {
  EXPECT_DECODE_ERROR(kV5, "40 03 00 01 92", kMalformed, "MQTT-3.4.2-1", 4);
}

TEST(DecodeAcks, Pubrec_ReasonCodeNotInTable_IsMalformed_MQTT_3_5_2_1) {
  EXPECT_DECODE_ERROR(kV5, "50 03 00 01 92", kMalformed, "MQTT-3.5.2-1", 4);
}

TEST(DecodeAcks, Pubrel_ReasonCodeNotInTable_IsMalformed_MQTT_3_6_2_1) {
  EXPECT_DECODE_ERROR(kV5, "62 03 00 01 80", kMalformed, "MQTT-3.6.2-1", 4);
}

TEST(DecodeAcks, Pubcomp_ReasonCodeNotInTable_IsMalformed_MQTT_3_7_2_1) {
  EXPECT_DECODE_ERROR(kV5, "70 03 00 01 10", kMalformed, "MQTT-3.7.2-1", 4);
}

// 3.1.1 §3.4.1: Remaining Length 2; nothing follows the Packet Identifier before MQTT 5.
TEST(DecodeAcks, Mqtt3TrailingBytes_AreMalformed_MQTT_3_1_1_2_2_3) {
  EXPECT_DECODE_ERROR(kV311, "40 03 00 01 00", kMalformed, "MQTT-3.1.1 §2.2.3", 4);
  EXPECT_DECODE_ERROR(kV31, "70 04 00 01 00 00", kMalformed, "MQTT-3.1.1 §2.2.3", 4);
}

// 5.0 §2.2.2.2: the properties are read with the ack's own context.
TEST(DecodeAcks, PropertyOfAnotherPacket_IsMalformed_MQTT_5_0_2_2_2_2) {
  EXPECT_DECODE_ERROR(kV5, "40 07 00 01 00 03 23 00 01", kMalformed, "MQTT-5.0 §2.2.2.2", 6);
}

TEST(DecodeAcks, Truncated_IsMalformed) {
  EXPECT_DECODE_ERROR(kV5, "40 01 00", kMalformed, "MQTT-5.0 §1.5 data representation", 2);
}

// ---------------------------------------------------------------------------------------------
// SUBSCRIBE

TEST(DecodeSubscribe, PacketId0_IsProtocolError_MQTT_2_2_1_3) {
  EXPECT_DECODE_ERROR(kV5, "82 07 00 00 00 00 01 61 00", kProtocol, "MQTT-2.2.1-3", 2);
  EXPECT_DECODE_ERROR(kV311, "82 06 00 00 00 01 61 00", kProtocol, "MQTT-2.3.1-1", 2);
}

TEST(DecodeSubscribe, NoTopicFilter_IsProtocolError_MQTT_3_8_3_2) {
  EXPECT_DECODE_ERROR(kV5, "82 03 00 01 00", kProtocol, "MQTT-3.8.3-2", 5);
}

TEST(DecodeSubscribe, NoTopicFilter_IsProtocolError_MQTT_3_8_3_3_V311) {
  EXPECT_DECODE_ERROR(kV311, "82 02 00 01", kProtocol, "MQTT-3.8.3-3", 4);
}

TEST(DecodeSubscribe, ReservedOptionBits_AreMalformed_MQTT_3_8_3_5) {
  EXPECT_DECODE_ERROR(kV5, "82 07 00 01 00 00 01 61 40", kMalformed, "MQTT-3.8.3-5", 8);
  EXPECT_DECODE_ERROR(kV5, "82 07 00 01 00 00 01 61 81", kMalformed, "MQTT-3.8.3-5", 8);
}

// 5.0 §3.8.3.1: "It is a Protocol Error if the Maximum QoS field has the value 3."
TEST(DecodeSubscribe, MaximumQos3_IsProtocolError_MQTT_5_0_3_8_3_1) {
  EXPECT_DECODE_ERROR(kV5, "82 07 00 01 00 00 01 61 03", kProtocol, "MQTT-5.0 §3.8.3.1", 8);
}

// 5.0 §3.8.3.1: "It is a Protocol Error to send a Retain Handling value of 3."
TEST(DecodeSubscribe, RetainHandling3_IsProtocolError_MQTT_5_0_3_8_3_1) {
  EXPECT_DECODE_ERROR(kV5, "82 07 00 01 00 00 01 61 31", kProtocol, "MQTT-5.0 §3.8.3.1", 8);
}

TEST(DecodeSubscribe, NoLocalOnSharedSubscription_IsProtocolError_MQTT_3_8_3_4) {
  EXPECT_DECODE_ERROR(kV5, "82 10 00 01 00 00 0a 24 73 68 61 72 65 2f 67 2f 61 04", kProtocol,
                      "MQTT-3.8.3-4", 17);
  // No Local on an ordinary filter is fine.
  const Packet p = DecodeOk(kV5, "82 07 00 01 00 00 01 61 04");
  EXPECT_TRUE(std::get<SubscribePacket>(p).subscriptions[0].no_local);
}

// 3.1.1 §3.8.3.1 (the spec writes the id "MQTT-3-8.3-4"): bits 7-2 of the Requested QoS byte are
// reserved, and QoS 3 is malformed.
TEST(DecodeSubscribe, V311ReservedBits_AreMalformed_MQTT_3_8_3_4) {
  EXPECT_DECODE_ERROR(kV311, "82 06 00 01 00 01 61 04", kMalformed, "MQTT-3-8.3-4", 7);
  EXPECT_DECODE_ERROR(kV311, "82 06 00 01 00 01 61 03", kMalformed, "MQTT-3-8.3-4", 7);
}

// MQTT 3.1 §3.8 marks bits 7-2 "reserved" without requiring a value; QoS 3 is still invalid.
TEST(DecodeSubscribe, V31ReservedBits_AreIgnored_Qos3_IsMalformed) {
  const Packet p = DecodeOk(kV31, "82 06 00 01 00 01 61 fd");
  EXPECT_EQ(std::get<SubscribePacket>(p).subscriptions[0].qos, 1);
  EXPECT_FALSE(std::get<SubscribePacket>(p).subscriptions[0].no_local);
  EXPECT_DECODE_ERROR(kV31, "82 06 00 01 00 01 61 03", kMalformed, "MQTT-3.1 §3.8", 7);
}

TEST(DecodeSubscribe, FilterWithoutOptions_IsMalformed) {
  EXPECT_DECODE_ERROR(kV311, "82 05 00 01 00 01 61", kMalformed,
                      "MQTT-5.0 §1.5 data representation", 7);
}

// ---------------------------------------------------------------------------------------------
// SUBACK

TEST(DecodeSuback, PacketId0_IsProtocolError_MQTT_2_2_1_6) {
  EXPECT_DECODE_ERROR(kV5, "90 04 00 00 00 00", kProtocol, "MQTT-2.2.1-6", 2);
  EXPECT_DECODE_ERROR(kV311, "90 03 00 00 00", kProtocol, "MQTT-2.3.1-7", 2);
}

TEST(DecodeSuback, NoReasonCode_IsProtocolError_MQTT_3_8_4_6) {
  EXPECT_DECODE_ERROR(kV5, "90 03 00 01 00", kProtocol, "MQTT-3.8.4-6", 5);
}

TEST(DecodeSuback, NoReturnCode_IsProtocolError_MQTT_3_8_4_5_V311) {
  EXPECT_DECODE_ERROR(kV311, "90 02 00 01", kProtocol, "MQTT-3.8.4-5", 4);
}

TEST(DecodeSuback, CodeNotInTable_IsMalformed_MQTT_3_9_3_2) {
  EXPECT_DECODE_ERROR(kV5, "90 05 00 01 00 00 03", kMalformed, "MQTT-3.9.3-2", 6);
  EXPECT_DECODE_ERROR(kV311, "90 04 00 01 01 83", kMalformed, "MQTT-3.9.3-2", 5);
}

// MQTT 3.1 §3.9: the payload is granted QoS levels only; 0x80 (Failure) arrived with 3.1.1.
TEST(DecodeSuback, V31Failure0x80_IsMalformed_MQTT_3_1_3_9) {
  EXPECT_DECODE_ERROR(kV31, "90 03 00 01 80", kMalformed, "MQTT-3.1 §3.9", 4);
}

// ---------------------------------------------------------------------------------------------
// UNSUBSCRIBE, UNSUBACK

TEST(DecodeUnsubscribe, PacketId0_IsProtocolError_MQTT_2_2_1_3) {
  EXPECT_DECODE_ERROR(kV5, "a2 06 00 00 00 00 01 61", kProtocol, "MQTT-2.2.1-3", 2);
  EXPECT_DECODE_ERROR(kV311, "a2 05 00 00 00 01 61", kProtocol, "MQTT-2.3.1-1", 2);
}

TEST(DecodeUnsubscribe, NoTopicFilter_IsProtocolError_MQTT_3_10_3_2) {
  EXPECT_DECODE_ERROR(kV5, "a2 03 00 01 00", kProtocol, "MQTT-3.10.3-2", 5);
  EXPECT_DECODE_ERROR(kV311, "a2 02 00 01", kProtocol, "MQTT-3.10.3-2", 4);
}

TEST(DecodeUnsubscribe, TopicFilterNotUtf8_IsMalformed_MQTT_1_5_4_1) {
  EXPECT_DECODE_ERROR(kV311, "a2 06 00 01 00 02 61 ff", kMalformed, "MQTT-1.5.4-1", 7);
}

TEST(DecodeUnsuback, PacketId0_IsProtocolError_MQTT_2_2_1_6) {
  EXPECT_DECODE_ERROR(kV5, "b0 04 00 00 00 00", kProtocol, "MQTT-2.2.1-6", 2);
  EXPECT_DECODE_ERROR(kV311, "b0 02 00 00", kProtocol, "MQTT-2.3.1-7", 2);
}

// 3.1.1 §3.11.1: "This is the length of the variable header. For the UNSUBACK Packet this has the
// value 2."
TEST(DecodeUnsuback, Mqtt3NotExactlyTwoBytes_IsMalformed_MQTT_3_1_1_3_11_1) {
  EXPECT_DECODE_ERROR(kV311, "b0 03 00 01 00", kMalformed, "MQTT-3.1.1 §3.11.1", 4);
  EXPECT_DECODE_ERROR(kV31, "b0 04 00 01 00 00", kMalformed, "MQTT-3.1.1 §3.11.1", 4);
  EXPECT_DECODE_ERROR(kV311, "b0 01 00", kMalformed, "MQTT-5.0 §1.5 data representation", 2);
}

TEST(DecodeUnsuback, V5NoReasonCode_IsProtocolError_MQTT_5_0_3_11_3) {
  EXPECT_DECODE_ERROR(kV5, "b0 03 00 01 00", kProtocol, "MQTT-5.0 §3.11.3", 5);
}

TEST(DecodeUnsuback, V5CodeNotInTable_IsMalformed_MQTT_3_11_3_2) {
  EXPECT_DECODE_ERROR(kV5, "b0 05 00 01 00 00 01", kMalformed, "MQTT-3.11.3-2", 6);
}

// ---------------------------------------------------------------------------------------------
// PINGREQ, PINGRESP, DISCONNECT, AUTH

TEST(DecodeEmptyPackets, PingreqWithBody_IsMalformed_MQTT_3_12_1) {
  EXPECT_DECODE_ERROR(kV5, "c0 01 00", kMalformed, "MQTT-5.0 §3.12.1", 2);
  EXPECT_DECODE_ERROR(kV311, "c0 01 00", kMalformed, "MQTT-3.1.1 §3.12.1", 2);
}

TEST(DecodeEmptyPackets, PingrespWithBody_IsMalformed_MQTT_3_13_1) {
  EXPECT_DECODE_ERROR(kV5, "d0 02 00 00", kMalformed, "MQTT-5.0 §3.13.1", 2);
  EXPECT_DECODE_ERROR(kV31, "d0 01 00", kMalformed, "MQTT-3.1.1 §3.13.1", 2);
}

TEST(DecodeEmptyPackets, Mqtt3DisconnectWithBody_IsMalformed_MQTT_3_1_1_3_14_1) {
  EXPECT_DECODE_ERROR(kV311, "e0 01 00", kMalformed, "MQTT-3.1.1 §3.14.1", 2);
}

TEST(DecodeDisconnect, ReasonCodeNotInTable_IsMalformed_MQTT_3_14_2_1) {
  EXPECT_DECODE_ERROR(kV5, "e0 01 01", kMalformed, "MQTT-3.14.2-1", 2);
}

TEST(DecodeDisconnect, TrailingBytes_AreMalformed) {
  EXPECT_DECODE_ERROR(kV5, "e0 03 00 00 00", kMalformed, "MQTT-5.0 §3.14.2", 4);
}

TEST(DecodeAuth, ReasonCodeNotInTable_IsMalformed_MQTT_3_15_2_1) {
  EXPECT_DECODE_ERROR(kV5, "f0 02 01 00", kMalformed, "MQTT-3.15.2-1", 2);
}

// Unlike PUBACK and DISCONNECT, AUTH has no form with a reason code but no Property Length.
TEST(DecodeAuth, ReasonCodeWithoutPropertyLength_IsMalformed_MQTT_2_2_2_1) {
  EXPECT_DECODE_ERROR(kV5, "f0 01 18", kMalformed, "MQTT-2.2.2-1", 3);
}

// 5.0 §3.15.2.2.2: AUTH properties are read in the AUTH context, which requires the method.
TEST(DecodeAuth, PropertiesWithoutAuthenticationMethod_AreProtocolError_MQTT_5_0_3_15_2_2_2) {
  EXPECT_DECODE_ERROR(kV5, "f0 02 18 00", kProtocol, "MQTT-5.0 §3.15.2.2.2", 3);
}

// ---------------------------------------------------------------------------------------------
// Alternative forms a receiver must accept (the encoder writes only the shortest).

// 5.0 §3.4.2.1 allows, but does not require, leaving out a Success code and empty properties.
TEST(DecodeAlternativeForms, V5AckWithExplicitSuccessAndEmptyProperties) {
  const Packet expected = PubackPacket{{7, 0, {}}};
  EXPECT_EQ(DecodeOk(kV5, "40 03 00 07 00"), expected);
  EXPECT_EQ(DecodeOk(kV5, "40 04 00 07 00 00"), expected);
  EXPECT_EQ(DecodeOk(kV5, "62 04 00 07 00 00"), Packet(PubrelPacket{{7, 0, {}}}));
}

TEST(DecodeAlternativeForms, V5DisconnectWithExplicitNormalDisconnection) {
  EXPECT_EQ(DecodeOk(kV5, "e0 01 00"), Packet(DisconnectPacket{}));
  EXPECT_EQ(DecodeOk(kV5, "e0 02 00 00"), Packet(DisconnectPacket{}));
}

// MQTT 5 forbids non-minimal Variable Byte Integers [MQTT-1.5.5-1]; the check reaches the
// properties' length too.
TEST(DecodeAlternativeForms, V5NonMinimalPropertyLength_IsMalformed_MQTT_1_5_5_1) {
  EXPECT_DECODE_ERROR(kV5, "40 05 00 07 00 80 00", kMalformed, "MQTT-1.5.5-1", 5);
}

// ---------------------------------------------------------------------------------------------
// Robustness

// Every truncation of every packet either decodes (some shorter MQTT 5 forms are valid) or fails
// as a decode error with a disconnect reason; with the body copied to exactly its size, a read
// past the end is an AddressSanitizer report under --config=asan.
TEST(DecodeRobustness, EveryTruncation_FailsCleanlyOrDecodes) {
  std::mt19937 rng(99u);
  for (ProtocolVersion v : {kV31, kV311, kV5}) {
    for (PacketType type : PacketTypesOf(v)) {
      for (int i = 0; i < 20; ++i) {
        const Packet packet = RandomPacket(rng, type, v);
        absl::StatusOr<std::vector<uint8_t>> bytes = EncodeToBytes(packet, v);
        ASSERT_TRUE(bytes.ok());
        // Body starts after the first byte and the Remaining Length.
        size_t body_start = 1;
        while ((*bytes)[body_start] & 0x80) ++body_start;
        ++body_start;
        for (size_t n = body_start; n < bytes->size(); ++n) {
          std::vector<uint8_t> body(bytes->begin() + body_start, bytes->begin() + n);
          absl::StatusOr<Packet> got = DecodePacket((*bytes)[0], body, body_start, v);
          if (got.ok()) continue;
          EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss) << got.status();
          EXPECT_TRUE(DisconnectReasonOf(got.status()).has_value()) << got.status();
        }
      }
    }
  }
}

TEST(DecodeRobustness, UnknownVersion_IsInvalidArgument) {
  absl::StatusOr<Packet> p = DecodePacket(0xC0, {}, 2, static_cast<ProtocolVersion>(7));
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ouzel
