#include "cc/codec/reason_codes.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace ouzel {
namespace {

using RC = ReasonContext;

constexpr RC kAllContexts[] = {RC::kConnack, RC::kPuback,    RC::kPubrec,     RC::kPubrel,
                               RC::kPubcomp, RC::kSuback,    RC::kUnsuback,   RC::kDisconnect,
                               RC::kAuth,    RC::kConnackV3, RC::kSubackV311, RC::kSubackV31};

std::vector<uint8_t> Codes(RC context) {
  absl::Span<const uint8_t> codes = ValidReasonCodes(context);
  return std::vector<uint8_t>(codes.begin(), codes.end());
}

TEST(ReasonCodes, CountsPerPacketFollowTheSpecTables) {
  EXPECT_EQ(ValidReasonCodes(RC::kConnack).size(), 22u);  // Table 3-1
  EXPECT_EQ(ValidReasonCodes(RC::kPuback).size(), 9u);    // Table 3-4
  EXPECT_EQ(ValidReasonCodes(RC::kPubrec).size(), 9u);    // Table 3-5
  EXPECT_EQ(ValidReasonCodes(RC::kPubrel).size(), 2u);    // Table 3-6
  EXPECT_EQ(ValidReasonCodes(RC::kPubcomp).size(), 2u);   // Table 3-7
  EXPECT_EQ(ValidReasonCodes(RC::kSuback).size(), 12u);   // Table 3-8
  EXPECT_EQ(ValidReasonCodes(RC::kUnsuback).size(), 7u);  // Table 3-9
  // Table 3-10's 29 codes plus 0x8C, which Table 2-6 also allows in DISCONNECT.
  EXPECT_EQ(ValidReasonCodes(RC::kDisconnect).size(), 30u);
  EXPECT_EQ(ValidReasonCodes(RC::kAuth).size(), 3u);        // Table 3-11
  EXPECT_EQ(ValidReasonCodes(RC::kConnackV3).size(), 6u);   // 3.1.1 Table 3.1
  EXPECT_EQ(ValidReasonCodes(RC::kSubackV311).size(), 4u);  // 3.1.1 §3.9.3
  EXPECT_EQ(ValidReasonCodes(RC::kSubackV31).size(), 3u);
}

TEST(ReasonCodes, ValidCodesAreAscendingAndAgreeWithIsValid) {
  for (RC context : kAllContexts) {
    SCOPED_TRACE(static_cast<int>(context));
    std::vector<uint8_t> codes = Codes(context);
    for (size_t i = 1; i < codes.size(); ++i) EXPECT_LT(codes[i - 1], codes[i]);
    size_t valid = 0;
    for (int code = 0; code <= 0xFF; ++code) {
      if (IsValidReasonCode(context, static_cast<uint8_t>(code))) ++valid;
    }
    EXPECT_EQ(valid, codes.size());
    for (uint8_t code : codes) {
      EXPECT_STRNE(ReasonCodeName(context, code), "Unknown reason code") << static_cast<int>(code);
    }
  }
}

TEST(ReasonCodes, PubackAndPubrecShareOneSetAsDoPubrelAndPubcomp) {
  EXPECT_EQ(Codes(RC::kPuback), Codes(RC::kPubrec));
  EXPECT_EQ(Codes(RC::kPubrel), (std::vector<uint8_t>{0x00, 0x92}));
  EXPECT_EQ(Codes(RC::kPubcomp), Codes(RC::kPubrel));
  EXPECT_EQ(Codes(RC::kPuback),
            (std::vector<uint8_t>{0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99}));
}

TEST(ReasonCodes, ZeroIsNamedByPacket) {
  EXPECT_STREQ(ReasonCodeName(RC::kConnack, 0x00), "Success");
  EXPECT_STREQ(ReasonCodeName(RC::kPubcomp, 0x00), "Success");
  EXPECT_STREQ(ReasonCodeName(RC::kAuth, 0x00), "Success");
  EXPECT_STREQ(ReasonCodeName(RC::kDisconnect, 0x00), "Normal disconnection");
  EXPECT_STREQ(ReasonCodeName(RC::kSuback, 0x00), "Granted QoS 0");
  EXPECT_STREQ(ReasonCodeName(RC::kSubackV31, 0x00), "Granted QoS 0");
  EXPECT_STREQ(ReasonCodeName(RC::kSubackV311, 0x00), "Success - Maximum QoS 0");
  EXPECT_STREQ(ReasonCodeName(RC::kConnackV3, 0x00), "Connection Accepted");
}

TEST(ReasonCodes, Mqtt5NamesFollowTable2_6) {
  EXPECT_STREQ(ReasonCodeName(RC::kConnack, 0x87), "Not authorized");
  EXPECT_STREQ(ReasonCodeName(RC::kConnack, 0x86), "Bad User Name or Password");
  EXPECT_STREQ(ReasonCodeName(RC::kPuback, 0x10), "No matching subscribers");
  EXPECT_STREQ(ReasonCodeName(RC::kPubrel, 0x92), "Packet Identifier not found");
  EXPECT_STREQ(ReasonCodeName(RC::kSuback, 0x02), "Granted QoS 2");
  EXPECT_STREQ(ReasonCodeName(RC::kSuback, 0xA2), "Wildcard Subscriptions not supported");
  EXPECT_STREQ(ReasonCodeName(RC::kUnsuback, 0x11), "No subscription existed");
  EXPECT_STREQ(ReasonCodeName(RC::kDisconnect, 0x04), "Disconnect with Will Message");
  EXPECT_STREQ(ReasonCodeName(RC::kDisconnect, 0x8E), "Session taken over");
  EXPECT_STREQ(ReasonCodeName(RC::kDisconnect, 0xA0), "Maximum connect time");
  EXPECT_STREQ(ReasonCodeName(RC::kAuth, 0x18), "Continue authentication");
  EXPECT_STREQ(ReasonCodeName(RC::kAuth, 0x19), "Re-authenticate");
}

TEST(ReasonCodes, Mqtt3NamesFollowMqtt311) {
  EXPECT_STREQ(ReasonCodeName(RC::kConnackV3, 0x01),
               "Connection Refused, unacceptable protocol version");
  EXPECT_STREQ(ReasonCodeName(RC::kConnackV3, 0x02), "Connection Refused, identifier rejected");
  EXPECT_STREQ(ReasonCodeName(RC::kConnackV3, 0x03), "Connection Refused, Server unavailable");
  EXPECT_STREQ(ReasonCodeName(RC::kConnackV3, 0x04),
               "Connection Refused, bad user name or password");
  EXPECT_STREQ(ReasonCodeName(RC::kConnackV3, 0x05), "Connection Refused, not authorized");
  EXPECT_STREQ(ReasonCodeName(RC::kSubackV311, 0x02), "Success - Maximum QoS 2");
  EXPECT_STREQ(ReasonCodeName(RC::kSubackV311, 0x80), "Failure");
}

TEST(ReasonCodes, CodesOutsideTheirPacketsTableAreRejected) {
  EXPECT_FALSE(IsValidReasonCode(RC::kConnack, 0x04));  // Disconnect with Will Message
  EXPECT_FALSE(IsValidReasonCode(RC::kConnack, 0x01));  // Granted QoS 1 is SUBACK's
  EXPECT_FALSE(IsValidReasonCode(RC::kConnack, 0x8B));  // Server shutting down
  EXPECT_FALSE(IsValidReasonCode(RC::kPuback, 0x92));   // only PUBREL / PUBCOMP
  EXPECT_FALSE(IsValidReasonCode(RC::kPubrel, 0x10));
  EXPECT_FALSE(IsValidReasonCode(RC::kSuback, 0x11));  // UNSUBACK's
  EXPECT_FALSE(IsValidReasonCode(RC::kUnsuback, 0x01));
  EXPECT_FALSE(IsValidReasonCode(RC::kAuth, 0x80));
  EXPECT_FALSE(IsValidReasonCode(RC::kConnackV3, 0x06));
  EXPECT_FALSE(IsValidReasonCode(RC::kConnackV3, 0x80));
  EXPECT_FALSE(IsValidReasonCode(RC::kSubackV31, 0x80));  // 3.1 had no failure code
  EXPECT_TRUE(IsValidReasonCode(RC::kSubackV311, 0x80));
  EXPECT_FALSE(IsValidReasonCode(RC::kDisconnect, 0xA3));
  EXPECT_STREQ(ReasonCodeName(RC::kConnack, 0x04), "Unknown reason code");
}

TEST(ReasonCodes, SessionTakenOverIsValidInDisconnectOnly) {
  for (RC context : kAllContexts) {
    EXPECT_EQ(IsValidReasonCode(context, 0x8E), context == RC::kDisconnect)
        << static_cast<int>(context);
  }
}

TEST(ReasonCodes, BadAuthenticationMethodIsAcceptedInConnackAndDisconnect) {
  for (RC context : kAllContexts) {
    EXPECT_EQ(IsValidReasonCode(context, 0x8C),
              context == RC::kConnack || context == RC::kDisconnect)
        << static_cast<int>(context);
  }
}

TEST(ReasonCodes, FailureIsEightyAndAbove) {
  EXPECT_FALSE(IsFailureReasonCode(0x19));
  EXPECT_FALSE(IsFailureReasonCode(0x7F));
  EXPECT_TRUE(IsFailureReasonCode(0x80));
  EXPECT_TRUE(IsFailureReasonCode(0xA2));
}

}  // namespace
}  // namespace ouzel
