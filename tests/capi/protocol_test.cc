// ouzel/protocol.h against the specification's own tables, transcribed here independently of the
// engine's: MQTT 5.0 Table 2-6 (reason codes), section 2.2.2.2 (properties), MQTT 3.1.1 Table 3.1
// (CONNACK return codes) and section 3.9.3 (SUBACK return codes). Each table is checked both ways:
// every listed (packet, code) has the listed name, and nothing unlisted has one.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"

namespace {

constexpr int kConnack = OUZEL_PACKET_CONNACK, kPuback = OUZEL_PACKET_PUBACK,
              kPubrec = OUZEL_PACKET_PUBREC, kPubrel = OUZEL_PACKET_PUBREL,
              kPubcomp = OUZEL_PACKET_PUBCOMP, kSuback = OUZEL_PACKET_SUBACK,
              kUnsuback = OUZEL_PACKET_UNSUBACK, kDisconnect = OUZEL_PACKET_DISCONNECT,
              kAuth = OUZEL_PACKET_AUTH;

struct ReasonRow {
  int code;
  const char* name;
  std::vector<int> packets;
};

// MQTT 5.0 section 2.4, Table 2-6 Reason Codes.
const std::vector<ReasonRow>& Table2_6() {
  static const auto* rows = new std::vector<ReasonRow>{
      {0x00, "Success", {kConnack, kPuback, kPubrec, kPubrel, kPubcomp, kUnsuback, kAuth}},
      {0x00, "Normal disconnection", {kDisconnect}},
      {0x00, "Granted QoS 0", {kSuback}},
      {0x01, "Granted QoS 1", {kSuback}},
      {0x02, "Granted QoS 2", {kSuback}},
      {0x04, "Disconnect with Will Message", {kDisconnect}},
      {0x10, "No matching subscribers", {kPuback, kPubrec}},
      {0x11, "No subscription existed", {kUnsuback}},
      {0x18, "Continue authentication", {kAuth}},
      {0x19, "Re-authenticate", {kAuth}},
      {0x80, "Unspecified error", {kConnack, kPuback, kPubrec, kSuback, kUnsuback, kDisconnect}},
      {0x81, "Malformed Packet", {kConnack, kDisconnect}},
      {0x82, "Protocol Error", {kConnack, kDisconnect}},
      {0x83,
       "Implementation specific error",
       {kConnack, kPuback, kPubrec, kSuback, kUnsuback, kDisconnect}},
      {0x84, "Unsupported Protocol Version", {kConnack}},
      {0x85, "Client Identifier not valid", {kConnack}},
      {0x86, "Bad User Name or Password", {kConnack}},
      {0x87, "Not authorized", {kConnack, kPuback, kPubrec, kSuback, kUnsuback, kDisconnect}},
      {0x88, "Server unavailable", {kConnack}},
      {0x89, "Server busy", {kConnack, kDisconnect}},
      {0x8A, "Banned", {kConnack}},
      {0x8B, "Server shutting down", {kDisconnect}},
      {0x8C, "Bad authentication method", {kConnack, kDisconnect}},
      {0x8D, "Keep Alive timeout", {kDisconnect}},
      {0x8E, "Session taken over", {kDisconnect}},
      {0x8F, "Topic Filter invalid", {kSuback, kUnsuback, kDisconnect}},
      {0x90, "Topic Name invalid", {kConnack, kPuback, kPubrec, kDisconnect}},
      {0x91, "Packet Identifier in use", {kPuback, kPubrec, kSuback, kUnsuback}},
      {0x92, "Packet Identifier not found", {kPubrel, kPubcomp}},
      {0x93, "Receive Maximum exceeded", {kDisconnect}},
      {0x94, "Topic Alias invalid", {kDisconnect}},
      {0x95, "Packet too large", {kConnack, kDisconnect}},
      {0x96, "Message rate too high", {kDisconnect}},
      {0x97, "Quota exceeded", {kConnack, kPuback, kPubrec, kSuback, kDisconnect}},
      {0x98, "Administrative action", {kDisconnect}},
      {0x99, "Payload format invalid", {kConnack, kPuback, kPubrec, kDisconnect}},
      {0x9A, "Retain not supported", {kConnack, kDisconnect}},
      {0x9B, "QoS not supported", {kConnack, kDisconnect}},
      {0x9C, "Use another server", {kConnack, kDisconnect}},
      {0x9D, "Server moved", {kConnack, kDisconnect}},
      {0x9E, "Shared Subscriptions not supported", {kSuback, kDisconnect}},
      {0x9F, "Connection rate exceeded", {kConnack, kDisconnect}},
      {0xA0, "Maximum connect time", {kDisconnect}},
      {0xA1, "Subscription Identifiers not supported", {kSuback, kDisconnect}},
      {0xA2, "Wildcard Subscriptions not supported", {kSuback, kDisconnect}},
  };
  return *rows;
}

TEST(CapiReasonCodes, Mqtt5_EveryTable2_6EntryHasItsNameInEachListedPacket) {
  for (const ReasonRow& row : Table2_6()) {
    for (int packet : row.packets) {
      const char* name = ouzel_reason_code_name(OUZEL_MQTT_V5, packet, row.code);
      ASSERT_NE(name, nullptr) << "code " << row.code << " packet " << packet;
      EXPECT_STREQ(name, row.name) << "code " << row.code << " packet " << packet;
      EXPECT_EQ(ouzel_reason_code_is_error(OUZEL_MQTT_V5, packet, row.code),
                row.code >= 0x80 ? 1 : 0)
          << row.name;
    }
  }
}

TEST(CapiReasonCodes, Mqtt5_NoCodeOutsideTable2_6_AndReasonCodesListsExactlyThem) {
  std::map<int, std::set<int>> listed;  // packet -> codes
  for (const ReasonRow& row : Table2_6()) {
    for (int packet : row.packets) listed[packet].insert(row.code);
  }
  for (int packet = 0; packet <= 16; ++packet) {
    for (int code = -1; code <= 256; ++code) {
      const bool expected = listed.count(packet) > 0 && listed[packet].count(code) > 0;
      EXPECT_EQ(ouzel_reason_code_name(OUZEL_MQTT_V5, packet, code) != nullptr, expected)
          << "packet " << packet << " code " << code;
      if (!expected) {
        EXPECT_EQ(ouzel_reason_code_is_error(OUZEL_MQTT_V5, packet, code), OUZEL_EINVAL);
      }
    }
    const uint8_t* codes = nullptr;
    size_t n = 0;
    const int rc = ouzel_reason_codes(OUZEL_MQTT_V5, packet, &codes, &n);
    if (listed.count(packet) == 0) {
      EXPECT_EQ(rc, OUZEL_EINVAL) << packet;
      EXPECT_EQ(codes, nullptr);
      EXPECT_EQ(n, 0u);
      continue;
    }
    ASSERT_EQ(rc, OUZEL_OK) << packet;
    EXPECT_EQ(std::set<int>(codes, codes + n), listed[packet]) << packet;
    for (size_t i = 1; i < n; ++i) EXPECT_LT(codes[i - 1], codes[i]);  // ascending
  }
}

// MQTT 3.1.1 section 3.2.2.3, Table 3.1 Connect Return code values (MQTT 3.1 has the same six).
TEST(CapiReasonCodes, Mqtt3_ConnackReturnCodes) {
  const std::vector<std::pair<int, const char*>> table = {
      {0, "Connection Accepted"},
      {1, "Connection Refused, unacceptable protocol version"},
      {2, "Connection Refused, identifier rejected"},
      {3, "Connection Refused, Server unavailable"},
      {4, "Connection Refused, bad user name or password"},
      {5, "Connection Refused, not authorized"},
  };
  for (int version : {OUZEL_MQTT_V31, OUZEL_MQTT_V311}) {
    for (const auto& [code, name] : table) {
      EXPECT_STREQ(ouzel_reason_code_name(version, kConnack, code), name) << version;
      EXPECT_EQ(ouzel_reason_code_is_error(version, kConnack, code), code != 0 ? 1 : 0);
    }
    EXPECT_EQ(ouzel_reason_code_name(version, kConnack, 6), nullptr);
    EXPECT_EQ(ouzel_reason_code_name(version, kConnack, 0x87), nullptr);
    EXPECT_EQ(ouzel_reason_code_is_error(version, kConnack, 0x87), OUZEL_EINVAL);
  }
  // The same byte in an MQTT 5 CONNACK is another table: 0x05 is not a 5.0 code at all.
  EXPECT_EQ(ouzel_reason_code_name(OUZEL_MQTT_V5, kConnack, 5), nullptr);
}

// MQTT 3.1.1 section 3.9.3 (SUBACK return codes); MQTT 3.1 has no failure code.
TEST(CapiReasonCodes, Mqtt3_SubackReturnCodes) {
  EXPECT_STREQ(ouzel_reason_code_name(OUZEL_MQTT_V311, kSuback, 0x00), "Success - Maximum QoS 0");
  EXPECT_STREQ(ouzel_reason_code_name(OUZEL_MQTT_V311, kSuback, 0x01), "Success - Maximum QoS 1");
  EXPECT_STREQ(ouzel_reason_code_name(OUZEL_MQTT_V311, kSuback, 0x02), "Success - Maximum QoS 2");
  EXPECT_STREQ(ouzel_reason_code_name(OUZEL_MQTT_V311, kSuback, 0x80), "Failure");
  EXPECT_EQ(ouzel_reason_code_is_error(OUZEL_MQTT_V311, kSuback, 0x80), 1);
  EXPECT_EQ(ouzel_reason_code_is_error(OUZEL_MQTT_V311, kSuback, 0x02), 0);
  EXPECT_EQ(ouzel_reason_code_name(OUZEL_MQTT_V311, kSuback, 0x87), nullptr);
  EXPECT_STREQ(ouzel_reason_code_name(OUZEL_MQTT_V31, kSuback, 0x01), "Granted QoS 1");
  EXPECT_EQ(ouzel_reason_code_name(OUZEL_MQTT_V31, kSuback, 0x80), nullptr);
}

TEST(CapiReasonCodes, Mqtt3_OtherPacketsCarryNone_UnknownVersionsNothing) {
  for (int packet : {kPuback, kPubrec, kPubrel, kPubcomp, kUnsuback, kDisconnect, kAuth}) {
    EXPECT_EQ(ouzel_reason_code_name(OUZEL_MQTT_V311, packet, 0), nullptr) << packet;
    const uint8_t* codes = nullptr;
    size_t n = 0;
    EXPECT_EQ(ouzel_reason_codes(OUZEL_MQTT_V311, packet, &codes, &n), OUZEL_EINVAL);
  }
  EXPECT_EQ(ouzel_reason_code_name(6, kConnack, 0), nullptr);
  EXPECT_EQ(ouzel_reason_code_is_error(6, kConnack, 0), OUZEL_EINVAL);
  const uint8_t* codes = nullptr;
  size_t n = 0;
  EXPECT_EQ(ouzel_reason_codes(2, kConnack, &codes, &n), OUZEL_EINVAL);
  EXPECT_NE(std::string(ouzel_last_error_message()).find("protocol version 2"), std::string::npos);
  EXPECT_EQ(ouzel_reason_codes(OUZEL_MQTT_V5, kConnack, nullptr, &n), OUZEL_EINVAL);
}

struct PropertyRow {
  int id;
  const char* name;
  int type;
  std::set<int> packets;
};

constexpr int kConnect = OUZEL_PACKET_CONNECT, kPublish = OUZEL_PACKET_PUBLISH,
              kSubscribe = OUZEL_PACKET_SUBSCRIBE, kUnsubscribe = OUZEL_PACKET_UNSUBSCRIBE,
              kWill = OUZEL_PACKET_WILL_PROPERTIES;

// MQTT 5.0 section 2.2.2.2, Table 2-4 Properties.
const std::vector<PropertyRow>& Table2_4() {
  static const auto* rows = new std::vector<PropertyRow>{
      {0x01, "Payload Format Indicator", OUZEL_PROPTYPE_BYTE, {kPublish, kWill}},
      {0x02, "Message Expiry Interval", OUZEL_PROPTYPE_FOUR_BYTE, {kPublish, kWill}},
      {0x03, "Content Type", OUZEL_PROPTYPE_UTF8, {kPublish, kWill}},
      {0x08, "Response Topic", OUZEL_PROPTYPE_UTF8, {kPublish, kWill}},
      {0x09, "Correlation Data", OUZEL_PROPTYPE_BINARY, {kPublish, kWill}},
      {0x0B, "Subscription Identifier", OUZEL_PROPTYPE_VARINT, {kPublish, kSubscribe}},
      {0x11,
       "Session Expiry Interval",
       OUZEL_PROPTYPE_FOUR_BYTE,
       {kConnect, kConnack, kDisconnect}},
      {0x12, "Assigned Client Identifier", OUZEL_PROPTYPE_UTF8, {kConnack}},
      {0x13, "Server Keep Alive", OUZEL_PROPTYPE_TWO_BYTE, {kConnack}},
      {0x15, "Authentication Method", OUZEL_PROPTYPE_UTF8, {kConnect, kConnack, kAuth}},
      {0x16, "Authentication Data", OUZEL_PROPTYPE_BINARY, {kConnect, kConnack, kAuth}},
      {0x17, "Request Problem Information", OUZEL_PROPTYPE_BYTE, {kConnect}},
      {0x18, "Will Delay Interval", OUZEL_PROPTYPE_FOUR_BYTE, {kWill}},
      {0x19, "Request Response Information", OUZEL_PROPTYPE_BYTE, {kConnect}},
      {0x1A, "Response Information", OUZEL_PROPTYPE_UTF8, {kConnack}},
      {0x1C, "Server Reference", OUZEL_PROPTYPE_UTF8, {kConnack, kDisconnect}},
      {0x1F,
       "Reason String",
       OUZEL_PROPTYPE_UTF8,
       {kConnack, kPuback, kPubrec, kPubrel, kPubcomp, kSuback, kUnsuback, kDisconnect, kAuth}},
      {0x21, "Receive Maximum", OUZEL_PROPTYPE_TWO_BYTE, {kConnect, kConnack}},
      {0x22, "Topic Alias Maximum", OUZEL_PROPTYPE_TWO_BYTE, {kConnect, kConnack}},
      {0x23, "Topic Alias", OUZEL_PROPTYPE_TWO_BYTE, {kPublish}},
      {0x24, "Maximum QoS", OUZEL_PROPTYPE_BYTE, {kConnack}},
      {0x25, "Retain Available", OUZEL_PROPTYPE_BYTE, {kConnack}},
      {0x26,
       "User Property",
       OUZEL_PROPTYPE_UTF8_PAIR,
       {kConnect, kConnack, kPublish, kWill, kPuback, kPubrec, kPubrel, kPubcomp, kSubscribe,
        kSuback, kUnsubscribe, kUnsuback, kDisconnect, kAuth}},
      {0x27, "Maximum Packet Size", OUZEL_PROPTYPE_FOUR_BYTE, {kConnect, kConnack}},
      {0x28, "Wildcard Subscription Available", OUZEL_PROPTYPE_BYTE, {kConnack}},
      {0x29, "Subscription Identifier Available", OUZEL_PROPTYPE_BYTE, {kConnack}},
      {0x2A, "Shared Subscription Available", OUZEL_PROPTYPE_BYTE, {kConnack}},
  };
  return *rows;
}

TEST(CapiProperties, EveryTable2_4PropertyHasItsNameTypeAndPackets) {
  for (const PropertyRow& row : Table2_4()) {
    EXPECT_STREQ(ouzel_property_name(row.id), row.name);
    EXPECT_EQ(ouzel_property_type(row.id), row.type) << row.name;
    for (int packet = OUZEL_PACKET_CONNECT; packet <= kWill; ++packet) {
      EXPECT_EQ(ouzel_property_allowed(row.id, packet), row.packets.count(packet) ? 1 : 0)
          << row.name << " in packet " << packet;
    }
  }
}

TEST(CapiProperties, IdentifiersOutsideTable2_4AreUnknown) {
  std::set<int> ids;
  for (const PropertyRow& row : Table2_4()) ids.insert(row.id);
  for (int id = -1; id <= 256; ++id) {
    if (ids.count(id) > 0) continue;
    EXPECT_EQ(ouzel_property_name(id), nullptr) << id;
    EXPECT_EQ(ouzel_property_type(id), OUZEL_EINVAL) << id;
    EXPECT_EQ(ouzel_property_allowed(id, kPublish), OUZEL_EINVAL) << id;
  }
  EXPECT_EQ(ouzel_property_allowed(OUZEL_PROP_USER_PROPERTY, 0), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_property_allowed(OUZEL_PROP_USER_PROPERTY, 17), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_property_allowed(OUZEL_PROP_USER_PROPERTY, OUZEL_PACKET_PINGREQ), 0);
}

}  // namespace
