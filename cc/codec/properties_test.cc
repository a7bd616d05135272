#include "cc/codec/properties.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cc/codec/codec_error.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using std::string_literals::operator""s;

// Where the property block starts in the simulated packet: errors must count from the packet's
// first byte, not the block's.
constexpr size_t kBase = 7;

absl::Span<const uint8_t> Bytes(const std::string& s) {
  return absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string Encode(const Properties& p) {
  ByteBuffer out;
  p.EncodeTo(&out);
  return std::string(out.view());
}

absl::StatusOr<Properties> DecodeBlock(const std::string& block, PropertyContext context) {
  WireReader r(Bytes(block), kBase, ProtocolVersion::kV5);
  return Properties::Decode(r, context);
}

std::string AtOffset(size_t offset) { return absl::StrCat("at offset ", offset); }

bool Contains(absl::string_view haystack, absl::string_view needle) {
  return haystack.find(needle) != absl::string_view::npos;
}

// Checks a decode failure: the reason code the session must disconnect with, the absolute offset
// and a fragment of the message (the rule or the property's name).
void ExpectDecodeError(const std::string& block, PropertyContext context, uint8_t reason,
                       size_t offset, absl::string_view fragment) {
  absl::StatusOr<Properties> p = DecodeBlock(block, context);
  ASSERT_FALSE(p.ok()) << "decoded " << p->size() << " properties";
  EXPECT_EQ(p.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DisconnectReasonOf(p.status()), reason) << p.status();
  EXPECT_TRUE(Contains(p.status().message(), AtOffset(offset))) << p.status();
  EXPECT_TRUE(Contains(p.status().message(), fragment)) << p.status();
}

void ExpectEncodeError(const Properties& p, PropertyContext context, absl::string_view fragment) {
  absl::Status s = p.Validate(context);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DisconnectReasonOf(s), std::nullopt);
  EXPECT_TRUE(Contains(s.message(), fragment)) << s;
}

// A context in which `info` may appear (its lowest).
PropertyContext FirstAllowedContext(const PropertyInfo& info) {
  for (int c = 0; c < 16; ++c) {
    if (info.contexts & (1u << c)) return static_cast<PropertyContext>(c);
  }
  ADD_FAILURE() << info.name << " is allowed nowhere";
  return PropertyContext::kConnect;
}

// ---------------------------------------------------------------------------------------------
// The table

TEST(PropertyTable, HasExactly27EntriesWithUniqueAscendingIds) {
  absl::Span<const PropertyInfo> all = AllPropertyInfos();
  ASSERT_EQ(all.size(), 27u);
  std::set<uint8_t> ids;
  for (size_t i = 0; i < all.size(); ++i) {
    ids.insert(static_cast<uint8_t>(all[i].id));
    if (i > 0) {
      EXPECT_LT(static_cast<uint8_t>(all[i - 1].id), static_cast<uint8_t>(all[i].id));
    }
    EXPECT_EQ(FindPropertyInfo(static_cast<uint8_t>(all[i].id)), &all[i]);
  }
  EXPECT_EQ(ids.size(), 27u);
}

TEST(PropertyTable, UndefinedIdentifiersAreNotFound) {
  for (uint8_t id : {0x00, 0x04, 0x05, 0x0A, 0x10, 0x14, 0x1B, 0x1D, 0x20, 0x2B, 0x7F, 0xFF}) {
    EXPECT_EQ(FindPropertyInfo(id), nullptr) << static_cast<int>(id);
  }
}

uint16_t Mask(std::initializer_list<PropertyContext> contexts) {
  uint16_t m = 0;
  for (PropertyContext c : contexts) m |= static_cast<uint16_t>(1u << static_cast<unsigned>(c));
  return m;
}

TEST(PropertyTable, NamesTypesAndPacketsFollowTable2_4) {
  using C = PropertyContext;
  struct Row {
    uint8_t id;
    const char* name;
    PropertyType type;
    uint16_t contexts;
  };
  const Row rows[] = {
      {0x01, "Payload Format Indicator", PropertyType::kByte, Mask({C::kPublish, C::kWill})},
      {0x0B, "Subscription Identifier", PropertyType::kVariableByteInteger,
       Mask({C::kPublish, C::kSubscribe})},
      {0x11, "Session Expiry Interval", PropertyType::kFourByteInteger,
       Mask({C::kConnect, C::kConnack, C::kDisconnect})},
      {0x15, "Authentication Method", PropertyType::kUtf8String,
       Mask({C::kConnect, C::kConnack, C::kAuth})},
      {0x16, "Authentication Data", PropertyType::kBinaryData,
       Mask({C::kConnect, C::kConnack, C::kAuth})},
      {0x18, "Will Delay Interval", PropertyType::kFourByteInteger, Mask({C::kWill})},
      {0x1C, "Server Reference", PropertyType::kUtf8String, Mask({C::kConnack, C::kDisconnect})},
      {0x1F, "Reason String", PropertyType::kUtf8String,
       Mask({C::kConnack, C::kPuback, C::kPubrec, C::kPubrel, C::kPubcomp, C::kSuback, C::kUnsuback,
             C::kDisconnect, C::kAuth})},
      {0x21, "Receive Maximum", PropertyType::kTwoByteInteger, Mask({C::kConnect, C::kConnack})},
      {0x23, "Topic Alias", PropertyType::kTwoByteInteger, Mask({C::kPublish})},
      {0x24, "Maximum QoS", PropertyType::kByte, Mask({C::kConnack})},
      {0x26, "User Property", PropertyType::kUtf8StringPair,
       Mask({C::kConnect, C::kConnack, C::kPublish, C::kWill, C::kPuback, C::kPubrec, C::kPubrel,
             C::kPubcomp, C::kSubscribe, C::kSuback, C::kUnsubscribe, C::kUnsuback, C::kDisconnect,
             C::kAuth})},
      {0x27, "Maximum Packet Size", PropertyType::kFourByteInteger,
       Mask({C::kConnect, C::kConnack})},
      {0x29, "Subscription Identifier Available", PropertyType::kByte, Mask({C::kConnack})},
  };
  for (const Row& row : rows) {
    const PropertyInfo* info = FindPropertyInfo(row.id);
    ASSERT_NE(info, nullptr) << static_cast<int>(row.id);
    EXPECT_STREQ(info->name, row.name);
    EXPECT_EQ(info->type, row.type) << row.name;
    EXPECT_EQ(info->contexts, row.contexts) << row.name;
  }
}

TEST(PropertyTable, OnlyUserPropertyMayAppearInUnsubscribe) {
  for (const PropertyInfo& info : AllPropertyInfos()) {
    EXPECT_EQ(PropertyAllowedIn(info.id, PropertyContext::kUnsubscribe),
              info.id == PropertyId::kUserProperty)
        << info.name;
  }
  EXPECT_STREQ(PropertyContextName(PropertyContext::kWill), "Will Properties");
  EXPECT_STREQ(PropertyContextName(PropertyContext::kUnsubscribe), "UNSUBSCRIBE");
}

// ---------------------------------------------------------------------------------------------
// Encoding: one golden block per data type of MQTT 5.0 §1.5, each prefixed by the Property Length
// (a Variable Byte Integer, §2.2.2.1) and each property by its identifier (§2.2.2.2).

struct Golden {
  const char* what;
  Properties props;
  std::string bytes;
  PropertyContext context;
};

std::vector<Golden> Goldens() {
  std::vector<Golden> g;
  {  // §1.5.1: a Byte
    Properties p;
    p.SetInt(PropertyId::kPayloadFormatIndicator, 1);
    g.push_back({"Byte", p, "\x02\x01\x01"s, PropertyContext::kPublish});
  }
  {  // §1.5.2: Two Byte Integer, big-endian
    Properties p;
    p.SetInt(PropertyId::kReceiveMaximum, 0x1234);
    g.push_back({"Two Byte Integer", p, "\x03\x21\x12\x34"s, PropertyContext::kConnect});
  }
  {  // §1.5.3: Four Byte Integer, big-endian
    Properties p;
    p.SetInt(PropertyId::kMessageExpiryInterval, 0x01020304);
    g.push_back({"Four Byte Integer", p, "\x05\x02\x01\x02\x03\x04"s, PropertyContext::kPublish});
  }
  {  // §1.5.5: Variable Byte Integer; 16,384 is the smallest value needing 3 bytes (Table 1-1)
    Properties p;
    p.AddSubscriptionIdentifier(16'384);
    g.push_back({"Variable Byte Integer", p, "\x04\x0B\x80\x80\x01"s, PropertyContext::kSubscribe});
  }
  {  // §1.5.5: the largest Variable Byte Integer, 268,435,455 = FF FF FF 7F
    Properties p;
    p.AddSubscriptionIdentifier(268'435'455);
    g.push_back({"largest Variable Byte Integer", p, "\x05\x0B\xFF\xFF\xFF\x7F"s,
                 PropertyContext::kPublish});
  }
  {  // §1.5.4: UTF-8 Encoded String: two-byte length then the bytes
    Properties p;
    p.SetString(PropertyId::kContentType, "json");
    g.push_back({"UTF-8 Encoded String", p, "\x07\x03\x00\x04json"s, PropertyContext::kWill});
  }
  {  // §1.5.6: Binary Data: two-byte length then any bytes
    Properties p;
    p.SetString(PropertyId::kCorrelationData, "\x00\xFF"s);
    g.push_back({"Binary Data", p, "\x05\x09\x00\x02\x00\xFF"s, PropertyContext::kPublish});
  }
  {  // §1.5.7: UTF-8 String Pair: name then value, each a UTF-8 Encoded String
    Properties p;
    p.AddUserProperty("a", "bc");
    g.push_back({"UTF-8 String Pair", p,
                 "\x08\x26\x00\x01"
                 "a\x00\x02"
                 "bc"s,
                 PropertyContext::kPubrel});
  }
  {  // §2.2.2.1: no properties is a Property Length of zero [MQTT-2.2.2-1]
    g.push_back({"empty", Properties(), "\x00"s, PropertyContext::kPuback});
  }
  return g;
}

TEST(PropertiesEncode, EachWireTypeMatchesHandDerivedBytes) {
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(g.what);
    EXPECT_TRUE(g.props.Validate(g.context).ok()) << g.props.Validate(g.context);
    EXPECT_EQ(Encode(g.props), g.bytes);
    EXPECT_EQ(g.props.EncodedSize(), g.bytes.size());
    EXPECT_EQ(g.props.EncodedBodySize(), g.bytes.size() - 1);
  }
}

TEST(PropertiesDecode, EachWireTypeDecodesToWhatWasEncoded) {
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(g.what);
    absl::StatusOr<Properties> p = DecodeBlock(g.bytes, g.context);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(*p, g.props);
  }
}

TEST(PropertiesEncode, LengthPrefixGrowsToTwoBytesPast127) {
  Properties p;
  p.SetString(PropertyId::kReasonString, std::string(126, 'r'));  // 1 + 2 + 126 = 129 bytes
  ASSERT_EQ(p.EncodedBodySize(), 129u);
  EXPECT_EQ(p.EncodedSize(), 131u);
  std::string bytes = Encode(p);
  ASSERT_EQ(bytes.size(), 131u);
  EXPECT_EQ(bytes.substr(0, 5), "\x81\x01\x1F\x00\x7E"s);  // 129 = 0x81 0x01 (§1.5.5)
}

TEST(PropertiesEncode, AppendsAfterExistingBufferContents) {
  ByteBuffer out;
  out.AppendU8(0xAA);
  Properties p;
  p.SetInt(PropertyId::kTopicAlias, 5);
  p.EncodeTo(&out);
  EXPECT_EQ(std::string(out.view()), "\xAA\x03\x23\x00\x05"s);
}

// ---------------------------------------------------------------------------------------------
// Round trips

TEST(PropertiesRoundTrip, EveryPropertyAllowedInConnack) {
  Properties p;
  p.SetInt(PropertyId::kSessionExpiryInterval, 0xFFFFFFFF);
  p.SetInt(PropertyId::kReceiveMaximum, 20);
  p.SetInt(PropertyId::kMaximumQos, 1);
  p.SetInt(PropertyId::kRetainAvailable, 0);
  p.SetInt(PropertyId::kMaximumPacketSize, 1 << 20);
  p.SetString(PropertyId::kAssignedClientIdentifier, "auto-4F2A");
  p.SetInt(PropertyId::kTopicAliasMaximum, 10);
  p.SetString(PropertyId::kReasonString, "welcome");
  p.AddUserProperty("region", "eu-west");
  p.SetInt(PropertyId::kWildcardSubscriptionAvailable, 1);
  p.SetInt(PropertyId::kSubscriptionIdentifierAvailable, 0);
  p.SetInt(PropertyId::kSharedSubscriptionAvailable, 1);
  p.SetInt(PropertyId::kServerKeepAlive, 65535);
  p.SetString(PropertyId::kResponseInformation, "resp/4F2A/");
  p.SetString(PropertyId::kServerReference, "other.example:1883");
  p.SetString(PropertyId::kAuthenticationMethod, "SCRAM-SHA-1");
  p.SetString(PropertyId::kAuthenticationData, "\x00\x01\x02"s);
  p.AddUserProperty("region", "eu-central");

  // The block really covers the CONNACK column of Table 2-4.
  std::set<PropertyId> ids;
  for (const Property& item : p.items()) ids.insert(item.id);
  size_t allowed = 0;
  for (const PropertyInfo& info : AllPropertyInfos()) {
    if (PropertyAllowedIn(info.id, PropertyContext::kConnack)) ++allowed;
  }
  EXPECT_EQ(allowed, 17u);
  EXPECT_EQ(ids.size(), allowed);

  ASSERT_TRUE(p.Validate(PropertyContext::kConnack).ok()) << p.Validate(PropertyContext::kConnack);
  std::string bytes = Encode(p);
  EXPECT_EQ(bytes.size(), p.EncodedSize());
  absl::StatusOr<Properties> back = DecodeBlock(bytes, PropertyContext::kConnack);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, p);
  EXPECT_EQ(back->GetInt(PropertyId::kSessionExpiryInterval), 0xFFFFFFFFu);
  EXPECT_EQ(back->GetString(PropertyId::kAuthenticationData), "\x00\x01\x02"s);
}

TEST(PropertiesRoundTrip, UserPropertiesKeepOrderAndDuplicates) {
  Properties p;
  p.AddUserProperty("k", "1");
  p.AddUserProperty("k", "2");
  p.AddUserProperty("a", "3");
  p.AddUserProperty("k", "1");
  ASSERT_TRUE(p.Validate(PropertyContext::kPublish).ok());
  absl::StatusOr<Properties> back = DecodeBlock(Encode(p), PropertyContext::kPublish);
  ASSERT_TRUE(back.ok()) << back.status();
  using Pair = std::pair<absl::string_view, absl::string_view>;
  std::vector<Pair> expected = {{"k", "1"}, {"k", "2"}, {"a", "3"}, {"k", "1"}};
  EXPECT_EQ(back->GetUserProperties(), expected);
}

TEST(PropertiesRoundTrip, PublishCarriesSeveralSubscriptionIdentifiers) {
  Properties p;
  p.AddSubscriptionIdentifier(7);
  p.AddSubscriptionIdentifier(300);
  p.AddSubscriptionIdentifier(7);
  ASSERT_TRUE(p.Validate(PropertyContext::kPublish).ok());
  absl::StatusOr<Properties> back = DecodeBlock(Encode(p), PropertyContext::kPublish);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->GetSubscriptionIdentifiers(), (std::vector<uint32_t>{7, 300, 7}));
}

TEST(PropertiesDecode, ConsumesExactlyTheBlockAndLeavesTheRest) {
  std::string packet =
      "\x03\x23\x00\x09"
      "payload"s;
  WireReader r(Bytes(packet), kBase, ProtocolVersion::kV5);
  absl::StatusOr<Properties> p = Properties::Decode(r, PropertyContext::kPublish);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->GetInt(PropertyId::kTopicAlias), 9u);
  EXPECT_EQ(r.offset(), kBase + 4);
  EXPECT_EQ(r.ReadRest(), "payload");
}

// ---------------------------------------------------------------------------------------------
// Setters and getters

TEST(PropertiesAccess, SetReplacesInPlaceAndDropsLaterDuplicates) {
  Properties p;
  p.SetInt(PropertyId::kMessageExpiryInterval, 1);
  p.SetString(PropertyId::kContentType, "a");
  p.Append(Property{PropertyId::kMessageExpiryInterval, 2, "", ""});
  p.SetInt(PropertyId::kMessageExpiryInterval, 3);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.items()[0].id, PropertyId::kMessageExpiryInterval);
  EXPECT_EQ(p.items()[0].int_value, 3u);
  p.SetString(PropertyId::kContentType, "b");
  EXPECT_EQ(p.GetString(PropertyId::kContentType), "b");
  EXPECT_EQ(p.size(), 2u);
}

TEST(PropertiesAccess, GettersIgnorePropertiesOfTheOtherKind) {
  Properties p;
  p.SetString(PropertyId::kContentType, "x");
  p.SetInt(PropertyId::kTopicAlias, 4);
  EXPECT_EQ(p.GetInt(PropertyId::kContentType), std::nullopt);
  EXPECT_EQ(p.GetString(PropertyId::kTopicAlias), std::nullopt);
  EXPECT_EQ(p.GetInt(PropertyId::kTopicAlias), 4u);
  EXPECT_EQ(p.GetInt(PropertyId::kReceiveMaximum), std::nullopt);
  EXPECT_TRUE(p.Has(PropertyId::kContentType));
  EXPECT_FALSE(p.Has(PropertyId::kResponseTopic));
}

TEST(PropertiesAccess, RemoveDeletesEveryInstanceAndCountsThem) {
  Properties p;
  p.AddUserProperty("a", "1");
  p.SetInt(PropertyId::kTopicAlias, 4);
  p.AddUserProperty("b", "2");
  EXPECT_EQ(p.Remove(PropertyId::kUserProperty), 2u);
  EXPECT_EQ(p.Remove(PropertyId::kUserProperty), 0u);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p.items()[0].id, PropertyId::kTopicAlias);
}

// ---------------------------------------------------------------------------------------------
// Validate: one test per rule

TEST(PropertiesValidate, RejectsPropertyNotAllowedInContext) {
  Properties p;
  p.SetInt(PropertyId::kTopicAlias, 1);
  EXPECT_TRUE(p.Validate(PropertyContext::kPublish).ok());
  ExpectEncodeError(p, PropertyContext::kConnect, "Topic Alias is not allowed in CONNECT");
  ExpectEncodeError(p, PropertyContext::kWill, "Topic Alias is not allowed in Will Properties");
}

TEST(PropertiesValidate, RejectsUndefinedIdentifier) {
  Properties p;
  p.Append(Property{static_cast<PropertyId>(0x05), 1, "", ""});
  ExpectEncodeError(p, PropertyContext::kPublish, "0x05");
}

TEST(PropertiesValidate, RejectsSecondInstanceOfSingleValuedProperty) {
  Properties p;
  p.SetString(PropertyId::kReasonString, "a");
  p.Append(Property{PropertyId::kReasonString, 0, "", "b"});
  ExpectEncodeError(p, PropertyContext::kPuback,
                    "Reason String more than once (MQTT-5.0 §3.4.2.2.2)");
}

TEST(PropertiesValidate, AllowsOneSubscriptionIdentifierInSubscribeButSeveralInPublish) {
  Properties p;
  p.AddSubscriptionIdentifier(1);
  EXPECT_TRUE(p.Validate(PropertyContext::kSubscribe).ok());
  p.AddSubscriptionIdentifier(2);
  EXPECT_TRUE(p.Validate(PropertyContext::kPublish).ok());
  ExpectEncodeError(p, PropertyContext::kSubscribe, "§3.8.2.1.2");
}

TEST(PropertiesValidate, RejectsByteValuedPropertiesOtherThanZeroOrOne) {
  int checked = 0;
  for (const PropertyInfo& info : AllPropertyInfos()) {
    if (info.type != PropertyType::kByte) continue;
    SCOPED_TRACE(info.name);
    const PropertyContext context = FirstAllowedContext(info);
    Properties p;
    p.SetInt(info.id, 1);
    EXPECT_TRUE(p.Validate(context).ok()) << p.Validate(context);
    p.SetInt(info.id, 2);
    ExpectEncodeError(p, context, absl::StrCat(info.name, " is 2; it must be 0 or 1"));
    ++checked;
  }
  // Payload Format Indicator, Request Problem/Response Information, Maximum QoS, Retain Available
  // and the three "... Available" flags.
  EXPECT_EQ(checked, 8);
}

TEST(PropertiesValidate, RejectsReceiveMaximumZero) {
  Properties p;
  p.SetInt(PropertyId::kReceiveMaximum, 0);
  ExpectEncodeError(p, PropertyContext::kConnect, "Receive Maximum to have the value 0");
}

TEST(PropertiesValidate, RejectsMaximumPacketSizeZero) {
  Properties p;
  p.SetInt(PropertyId::kMaximumPacketSize, 0);
  ExpectEncodeError(p, PropertyContext::kConnack, "Maximum Packet Size to have the value 0");
}

TEST(PropertiesValidate, RejectsTopicAliasZero) {
  Properties p;
  p.SetInt(PropertyId::kTopicAlias, 0);
  ExpectEncodeError(p, PropertyContext::kPublish, "MQTT-3.3.2-8");
}

TEST(PropertiesValidate, RejectsSubscriptionIdentifierOutside1To268435455) {
  Properties p;
  p.AddSubscriptionIdentifier(268'435'455);
  EXPECT_TRUE(p.Validate(PropertyContext::kSubscribe).ok());
  p.Clear();
  p.AddSubscriptionIdentifier(0);
  ExpectEncodeError(p, PropertyContext::kSubscribe, "Subscription Identifier is 0");
  p.Clear();
  p.AddSubscriptionIdentifier(268'435'456);
  ExpectEncodeError(p, PropertyContext::kPublish, "Subscription Identifier is 268435456");
}

TEST(PropertiesValidate, RejectsTwoByteValueAbove65535) {
  Properties p;
  p.SetInt(PropertyId::kServerKeepAlive, 65'535);
  EXPECT_TRUE(p.Validate(PropertyContext::kConnack).ok());
  p.SetInt(PropertyId::kServerKeepAlive, 65'536);
  ExpectEncodeError(p, PropertyContext::kConnack, "Server Keep Alive is 65536");
}

TEST(PropertiesValidate, RejectsStringLongerThan65535Bytes) {
  Properties p;
  p.SetString(PropertyId::kReasonString, std::string(65'535, 'x'));
  EXPECT_TRUE(p.Validate(PropertyContext::kDisconnect).ok());
  p.SetString(PropertyId::kReasonString, std::string(65'536, 'x'));
  ExpectEncodeError(p, PropertyContext::kDisconnect, "Reason String value is 65536 bytes");
}

TEST(PropertiesValidate, RejectsIllFormedUtf8AndNulInStrings) {
  Properties p;
  p.SetString(PropertyId::kContentType, "\xC0\x80"s);  // overlong U+0000
  ExpectEncodeError(p, PropertyContext::kPublish, "Content Type value");
  p.SetString(PropertyId::kContentType, "a\0b"s);
  ExpectEncodeError(p, PropertyContext::kPublish, "MQTT-1.5.4-2");
}

TEST(PropertiesValidate, RejectsIllFormedUtf8InUserPropertyName) {
  Properties p;
  p.AddUserProperty("\xED\xA0\x80"s, "v");  // a surrogate, U+D800
  ExpectEncodeError(p, PropertyContext::kSuback, "User Property name");
}

TEST(PropertiesValidate, RejectsBinaryDataLongerThan65535Bytes) {
  Properties p;
  p.SetString(PropertyId::kCorrelationData, std::string(65'535, '\0'));
  EXPECT_TRUE(p.Validate(PropertyContext::kPublish).ok());
  p.SetString(PropertyId::kCorrelationData, std::string(65'536, '\0'));
  ExpectEncodeError(p, PropertyContext::kPublish, "Correlation Data is 65536 bytes");
}

TEST(PropertiesValidate, RejectsValueSetThroughTheWrongSetter) {
  Properties p;
  p.SetInt(PropertyId::kContentType, 5);
  ExpectEncodeError(p, PropertyContext::kPublish, "set it with SetString");
  p.Clear();
  p.SetString(PropertyId::kMessageExpiryInterval, "60");
  ExpectEncodeError(p, PropertyContext::kPublish, "set it with SetInt");
}

TEST(PropertiesValidate, RejectsAuthenticationDataWithoutMethodInConnect) {
  Properties p;
  p.SetString(PropertyId::kAuthenticationData, "x");
  ExpectEncodeError(p, PropertyContext::kConnect, "§3.1.2.11.10");
  p.SetString(PropertyId::kAuthenticationMethod, "m");
  EXPECT_TRUE(p.Validate(PropertyContext::kConnect).ok());
}

TEST(PropertiesValidate, RejectsAuthWithoutAuthenticationMethod) {
  Properties p;
  p.SetString(PropertyId::kReasonString, "r");
  ExpectEncodeError(p, PropertyContext::kAuth, "§3.15.2.2.2");
  p.SetString(PropertyId::kAuthenticationMethod, "m");
  EXPECT_TRUE(p.Validate(PropertyContext::kAuth).ok());
}

// ---------------------------------------------------------------------------------------------
// Decode: one test per rule. Offsets are absolute: the block starts at kBase, so its first
// property's identifier is at kBase + 1 and that property's value at kBase + 2.

TEST(PropertiesDecode, PropertyLengthPastEndOfPacketIsMalformed) {
  ExpectDecodeError("\x05\x21\x00"s, PropertyContext::kConnack, kReasonMalformedPacket, kBase,
                    "§2.2.2.1");
}

TEST(PropertiesDecode, TruncatedPropertyLengthIsMalformed) {
  ExpectDecodeError("\x80"s, PropertyContext::kConnack, kReasonMalformedPacket, kBase, "§1.5.5");
}

TEST(PropertiesDecode, ValueRunningPastTheBlockIsMalformed) {
  // The block says 2 bytes: Receive Maximum's identifier and one of its two value bytes. The
  // byte after the block must not be read as the second.
  ExpectDecodeError("\x02\x21\x00\x01"s, PropertyContext::kConnack, kReasonMalformedPacket,
                    kBase + 2, "two byte integer");
}

TEST(PropertiesDecode, StringLengthPastTheBlockIsMalformed) {
  ExpectDecodeError("\x05\x1F\x00\x05xy"s, PropertyContext::kPuback, kReasonMalformedPacket,
                    kBase + 2, "§1.5.4");
}

TEST(PropertiesDecode, TruncatedUserPropertyValueIsMalformed) {
  ExpectDecodeError("\x05\x26\x00\x01k\x00"s, PropertyContext::kPublish, kReasonMalformedPacket,
                    kBase + 5, "");
}

TEST(PropertiesDecode, UnknownIdentifierIsMalformed) {
  ExpectDecodeError("\x04\x1F\x00\x00\x05\x00"s, PropertyContext::kPuback, kReasonMalformedPacket,
                    kBase + 4, "unknown property identifier 0x05");
}

TEST(PropertiesDecode, TwoByteIdentifierIsReadAsVariableByteIntegerAndRejected) {
  // 0x80 0x01 is the Variable Byte Integer 128: no property has that identifier (§2.2.2.2).
  ExpectDecodeError("\x03\x80\x01\x00"s, PropertyContext::kPublish, kReasonMalformedPacket,
                    kBase + 1, "unknown property identifier 0x80");
}

TEST(PropertiesDecode, NonMinimalIdentifierEncodingIsMalformed) {
  // 0x81 0x00 encodes 1 (Payload Format Indicator) in two bytes [MQTT-1.5.5-1].
  ExpectDecodeError("\x03\x81\x00\x01"s, PropertyContext::kPublish, kReasonMalformedPacket,
                    kBase + 1, "MQTT-1.5.5-1");
}

TEST(PropertiesDecode, PropertyNotValidForPacketTypeIsMalformed) {
  ExpectDecodeError("\x03\x23\x00\x01"s, PropertyContext::kConnack, kReasonMalformedPacket,
                    kBase + 1, "Topic Alias (0x23) is not valid in CONNACK");
  ExpectDecodeError("\x05\x18\x00\x00\x00\x00"s, PropertyContext::kConnect, kReasonMalformedPacket,
                    kBase + 1, "Will Delay Interval");
}

TEST(PropertiesDecode, RepeatedReceiveMaximumIsProtocolErrorAtSecondIdentifier) {
  ExpectDecodeError("\x06\x21\x00\x0A\x21\x00\x0B"s, PropertyContext::kConnack,
                    kReasonProtocolError, kBase + 4,
                    "Receive Maximum more than once [MQTT-5.0 §3.2.2.3.3]");
}

TEST(PropertiesDecode, RepeatedReasonStringCitesThePacketsSection) {
  ExpectDecodeError("\x06\x1F\x00\x00\x1F\x00\x00"s, PropertyContext::kDisconnect,
                    kReasonProtocolError, kBase + 4, "§3.14.2.2.3");
}

TEST(PropertiesDecode, RepeatedSubscriptionIdentifierInSubscribeIsProtocolError) {
  const std::string block = "\x04\x0B\x01\x0B\x02"s;
  absl::StatusOr<Properties> publish = DecodeBlock(block, PropertyContext::kPublish);
  ASSERT_TRUE(publish.ok()) << publish.status();
  EXPECT_EQ(publish->GetSubscriptionIdentifiers(), (std::vector<uint32_t>{1, 2}));
  ExpectDecodeError(block, PropertyContext::kSubscribe, kReasonProtocolError, kBase + 3,
                    "§3.8.2.1.2");
}

TEST(PropertiesDecode, ReceiveMaximumZeroIsProtocolErrorAtValue) {
  ExpectDecodeError("\x03\x21\x00\x00"s, PropertyContext::kConnack, kReasonProtocolError, kBase + 2,
                    "Receive Maximum to have the value 0 [MQTT-5.0 §3.2.2.3.3]");
}

TEST(PropertiesDecode, MaximumPacketSizeZeroIsProtocolError) {
  ExpectDecodeError("\x05\x27\x00\x00\x00\x00"s, PropertyContext::kConnect, kReasonProtocolError,
                    kBase + 2, "§3.1.2.11.4");
}

TEST(PropertiesDecode, MaximumQosAboveOneIsProtocolError) {
  ExpectDecodeError("\x02\x24\x02"s, PropertyContext::kConnack, kReasonProtocolError, kBase + 2,
                    "Maximum QoS is 2; it must be 0 or 1 [MQTT-5.0 §3.2.2.3.4]");
}

TEST(PropertiesDecode, FlagBytesAboveOneAreProtocolErrors) {
  int checked = 0;
  for (const PropertyInfo& info : AllPropertyInfos()) {
    if (info.type != PropertyType::kByte) continue;
    SCOPED_TRACE(info.name);
    const PropertyContext context = FirstAllowedContext(info);
    const std::string ok = "\x02"s + static_cast<char>(info.id) + "\x01"s;
    EXPECT_TRUE(DecodeBlock(ok, context).ok());
    const std::string bad = "\x02"s + static_cast<char>(info.id) + "\x02"s;
    ExpectDecodeError(bad, context, kReasonProtocolError, kBase + 2, "it must be 0 or 1");
    ++checked;
  }
  EXPECT_EQ(checked, 8);
}

TEST(PropertiesDecode, SubscriptionIdentifierZeroIsProtocolError) {
  ExpectDecodeError("\x02\x0B\x00"s, PropertyContext::kPublish, kReasonProtocolError, kBase + 2,
                    "§3.3.2.3.8");
}

TEST(PropertiesDecode, TopicAliasZeroIsTopicAliasInvalid_MQTT_3_3_2_8) {
  ExpectDecodeError("\x03\x23\x00\x00"s, PropertyContext::kPublish, kReasonTopicAliasInvalid,
                    kBase + 2, "MQTT-3.3.2-8");
}

TEST(PropertiesDecode, IllFormedUtf8IsMalformedAtTheBadByte) {
  // Content Type "a" then 0xFF: the bad byte is 4 bytes into the block after the length.
  ExpectDecodeError(
      "\x05\x03\x00\x02"
      "a\xFF"s,
      PropertyContext::kPublish, kReasonMalformedPacket, kBase + 5, "MQTT-1.5.4-1");
}

TEST(PropertiesDecode, NulInUserPropertyIsMalformed) {
  ExpectDecodeError("\x07\x26\x00\x01k\x00\x01\x00"s, PropertyContext::kPuback,
                    kReasonMalformedPacket, kBase + 7, "MQTT-1.5.4-2");
}

TEST(PropertiesDecode, AuthenticationDataWithoutMethodInConnectIsProtocolError) {
  ExpectDecodeError("\x03\x16\x00\x00"s, PropertyContext::kConnect, kReasonProtocolError, kBase + 1,
                    "§3.1.2.11.10");
}

TEST(PropertiesDecode, AuthWithoutAuthenticationMethodIsProtocolError) {
  ExpectDecodeError("\x03\x1F\x00\x00"s, PropertyContext::kAuth, kReasonProtocolError, kBase,
                    "§3.15.2.2.2");
  EXPECT_TRUE(DecodeBlock("\x04\x15\x00\x01m"s, PropertyContext::kAuth).ok());
}

}  // namespace
}  // namespace ouzel
