#include "cc/codec/properties.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cc/base/status_macros.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/utf8.h"
#include "cc/codec/varint.h"
#include "cc/codec/wire_writer.h"

namespace ouzel {
namespace {

constexpr size_t kNumContexts = static_cast<size_t>(PropertyContext::kAuth) + 1;

constexpr uint16_t Bit(PropertyContext c) {
  return static_cast<uint16_t>(1u << static_cast<unsigned>(c));
}

using C = PropertyContext;
using T = PropertyType;
using P = PropertyId;

constexpr uint16_t kPublishAndWill = Bit(C::kPublish) | Bit(C::kWill);
constexpr uint16_t kEverywhere = (1u << kNumContexts) - 1;

// MQTT 5.0 §2.2.2.2 Table 2-4, in identifier order.
constexpr PropertyInfo kInfos[] = {
    {P::kPayloadFormatIndicator, "Payload Format Indicator", T::kByte, kPublishAndWill},
    {P::kMessageExpiryInterval, "Message Expiry Interval", T::kFourByteInteger, kPublishAndWill},
    {P::kContentType, "Content Type", T::kUtf8String, kPublishAndWill},
    {P::kResponseTopic, "Response Topic", T::kUtf8String, kPublishAndWill},
    {P::kCorrelationData, "Correlation Data", T::kBinaryData, kPublishAndWill},
    {P::kSubscriptionIdentifier, "Subscription Identifier", T::kVariableByteInteger,
     Bit(C::kPublish) | Bit(C::kSubscribe)},
    {P::kSessionExpiryInterval, "Session Expiry Interval", T::kFourByteInteger,
     Bit(C::kConnect) | Bit(C::kConnack) | Bit(C::kDisconnect)},
    {P::kAssignedClientIdentifier, "Assigned Client Identifier", T::kUtf8String, Bit(C::kConnack)},
    {P::kServerKeepAlive, "Server Keep Alive", T::kTwoByteInteger, Bit(C::kConnack)},
    {P::kAuthenticationMethod, "Authentication Method", T::kUtf8String,
     Bit(C::kConnect) | Bit(C::kConnack) | Bit(C::kAuth)},
    {P::kAuthenticationData, "Authentication Data", T::kBinaryData,
     Bit(C::kConnect) | Bit(C::kConnack) | Bit(C::kAuth)},
    {P::kRequestProblemInformation, "Request Problem Information", T::kByte, Bit(C::kConnect)},
    {P::kWillDelayInterval, "Will Delay Interval", T::kFourByteInteger, Bit(C::kWill)},
    {P::kRequestResponseInformation, "Request Response Information", T::kByte, Bit(C::kConnect)},
    {P::kResponseInformation, "Response Information", T::kUtf8String, Bit(C::kConnack)},
    {P::kServerReference, "Server Reference", T::kUtf8String,
     Bit(C::kConnack) | Bit(C::kDisconnect)},
    {P::kReasonString, "Reason String", T::kUtf8String,
     Bit(C::kConnack) | Bit(C::kPuback) | Bit(C::kPubrec) | Bit(C::kPubrel) | Bit(C::kPubcomp) |
         Bit(C::kSuback) | Bit(C::kUnsuback) | Bit(C::kDisconnect) | Bit(C::kAuth)},
    {P::kReceiveMaximum, "Receive Maximum", T::kTwoByteInteger,
     Bit(C::kConnect) | Bit(C::kConnack)},
    {P::kTopicAliasMaximum, "Topic Alias Maximum", T::kTwoByteInteger,
     Bit(C::kConnect) | Bit(C::kConnack)},
    {P::kTopicAlias, "Topic Alias", T::kTwoByteInteger, Bit(C::kPublish)},
    {P::kMaximumQos, "Maximum QoS", T::kByte, Bit(C::kConnack)},
    {P::kRetainAvailable, "Retain Available", T::kByte, Bit(C::kConnack)},
    {P::kUserProperty, "User Property", T::kUtf8StringPair, kEverywhere},
    {P::kMaximumPacketSize, "Maximum Packet Size", T::kFourByteInteger,
     Bit(C::kConnect) | Bit(C::kConnack)},
    {P::kWildcardSubscriptionAvailable, "Wildcard Subscription Available", T::kByte,
     Bit(C::kConnack)},
    {P::kSubscriptionIdentifierAvailable, "Subscription Identifier Available", T::kByte,
     Bit(C::kConnack)},
    {P::kSharedSubscriptionAvailable, "Shared Subscription Available", T::kByte, Bit(C::kConnack)},
};
constexpr size_t kNumProperties = sizeof(kInfos) / sizeof(kInfos[0]);
static_assert(kNumProperties == 27, "MQTT 5.0 defines 27 properties");

// The section of chapter 3 that states the rules for each property in each packet, as the number
// after the context's prefix (kSectionPrefix): Receive Maximum in CONNACK is §3.2.2.3.3. Written
// separately from kInfos so the static_assert below can check the two tables against each other.
constexpr const char* kSectionPrefix[kNumContexts] = {
    "3.1.2.11.",  // CONNECT
    "3.2.2.3.",   // CONNACK
    "3.3.2.3.",   // PUBLISH
    "3.1.3.2.",   // Will Properties
    "3.4.2.2.",   // PUBACK
    "3.5.2.2.",   // PUBREC
    "3.6.2.2.",   // PUBREL
    "3.7.2.2.",   // PUBCOMP
    "3.8.2.1.",   // SUBSCRIBE
    "3.9.2.1.",   // SUBACK
    "3.10.2.1.",  // UNSUBSCRIBE
    "3.11.2.1.",  // UNSUBACK
    "3.14.2.2.",  // DISCONNECT
    "3.15.2.2.",  // AUTH
};

constexpr const char* kContextNames[kNumContexts] = {
    "CONNECT", "CONNACK",   "PUBLISH", "Will Properties", "PUBACK",   "PUBREC",     "PUBREL",
    "PUBCOMP", "SUBSCRIBE", "SUBACK",  "UNSUBSCRIBE",     "UNSUBACK", "DISCONNECT", "AUTH",
};

struct SectionEntry {
  PropertyId id;
  PropertyContext context;
  uint8_t number;
};

constexpr SectionEntry kSections[] = {
    {P::kPayloadFormatIndicator, C::kPublish, 2},
    {P::kPayloadFormatIndicator, C::kWill, 3},
    {P::kMessageExpiryInterval, C::kPublish, 3},
    {P::kMessageExpiryInterval, C::kWill, 4},
    {P::kContentType, C::kPublish, 9},
    {P::kContentType, C::kWill, 5},
    {P::kResponseTopic, C::kPublish, 5},
    {P::kResponseTopic, C::kWill, 6},
    {P::kCorrelationData, C::kPublish, 6},
    {P::kCorrelationData, C::kWill, 7},
    {P::kSubscriptionIdentifier, C::kPublish, 8},
    {P::kSubscriptionIdentifier, C::kSubscribe, 2},
    {P::kSessionExpiryInterval, C::kConnect, 2},
    {P::kSessionExpiryInterval, C::kConnack, 2},
    {P::kSessionExpiryInterval, C::kDisconnect, 2},
    {P::kAssignedClientIdentifier, C::kConnack, 7},
    {P::kServerKeepAlive, C::kConnack, 14},
    {P::kAuthenticationMethod, C::kConnect, 9},
    {P::kAuthenticationMethod, C::kConnack, 17},
    {P::kAuthenticationMethod, C::kAuth, 2},
    {P::kAuthenticationData, C::kConnect, 10},
    {P::kAuthenticationData, C::kConnack, 18},
    {P::kAuthenticationData, C::kAuth, 3},
    {P::kRequestProblemInformation, C::kConnect, 7},
    {P::kWillDelayInterval, C::kWill, 2},
    {P::kRequestResponseInformation, C::kConnect, 6},
    {P::kResponseInformation, C::kConnack, 15},
    {P::kServerReference, C::kConnack, 16},
    {P::kServerReference, C::kDisconnect, 5},
    {P::kReasonString, C::kConnack, 9},
    {P::kReasonString, C::kPuback, 2},
    {P::kReasonString, C::kPubrec, 2},
    {P::kReasonString, C::kPubrel, 2},
    {P::kReasonString, C::kPubcomp, 2},
    {P::kReasonString, C::kSuback, 2},
    {P::kReasonString, C::kUnsuback, 2},
    {P::kReasonString, C::kDisconnect, 3},
    {P::kReasonString, C::kAuth, 4},
    {P::kReceiveMaximum, C::kConnect, 3},
    {P::kReceiveMaximum, C::kConnack, 3},
    {P::kTopicAliasMaximum, C::kConnect, 5},
    {P::kTopicAliasMaximum, C::kConnack, 8},
    {P::kTopicAlias, C::kPublish, 4},
    {P::kMaximumQos, C::kConnack, 4},
    {P::kRetainAvailable, C::kConnack, 5},
    {P::kUserProperty, C::kConnect, 8},
    {P::kUserProperty, C::kConnack, 10},
    {P::kUserProperty, C::kPublish, 7},
    {P::kUserProperty, C::kWill, 8},
    {P::kUserProperty, C::kPuback, 3},
    {P::kUserProperty, C::kPubrec, 3},
    {P::kUserProperty, C::kPubrel, 3},
    {P::kUserProperty, C::kPubcomp, 3},
    {P::kUserProperty, C::kSubscribe, 3},
    {P::kUserProperty, C::kSuback, 3},
    {P::kUserProperty, C::kUnsubscribe, 2},
    {P::kUserProperty, C::kUnsuback, 3},
    {P::kUserProperty, C::kDisconnect, 4},
    {P::kUserProperty, C::kAuth, 5},
    {P::kMaximumPacketSize, C::kConnect, 4},
    {P::kMaximumPacketSize, C::kConnack, 6},
    {P::kWildcardSubscriptionAvailable, C::kConnack, 11},
    {P::kSubscriptionIdentifierAvailable, C::kConnack, 12},
    {P::kSharedSubscriptionAvailable, C::kConnack, 13},
};

constexpr int SectionNumber(PropertyId id, PropertyContext context) {
  for (const SectionEntry& e : kSections) {
    if (e.id == id && e.context == context) return e.number;
  }
  return 0;
}

// Every (property, context) pair allowed by Table 2-4 has a section in chapter 3 and vice versa,
// and the identifiers are strictly ascending.
constexpr bool TablesAgree() {
  for (size_t i = 0; i < kNumProperties; ++i) {
    if (i > 0 && static_cast<uint8_t>(kInfos[i - 1].id) >= static_cast<uint8_t>(kInfos[i].id)) {
      return false;
    }
    for (size_t c = 0; c < kNumContexts; ++c) {
      const bool allowed = (kInfos[i].contexts >> c) & 1u;
      const bool has_section = SectionNumber(kInfos[i].id, static_cast<PropertyContext>(c)) != 0;
      if (allowed != has_section) return false;
    }
  }
  return true;
}
static_assert(TablesAgree(), "kInfos and kSections disagree");

// The highest identifier; ids fit a 64-bit "seen" mask while decoding.
constexpr uint8_t kMaxId = static_cast<uint8_t>(PropertyId::kSharedSubscriptionAvailable);
static_assert(kMaxId < 64, "the duplicate mask needs one bit per identifier");

// kInfos index + 1 for each identifier, 0 for identifiers that are not defined.
constexpr std::array<uint8_t, kMaxId + 1> MakeIndex() {
  std::array<uint8_t, kMaxId + 1> index{};
  for (size_t i = 0; i < kNumProperties; ++i) {
    index[static_cast<uint8_t>(kInfos[i].id)] = static_cast<uint8_t>(i + 1);
  }
  return index;
}
constexpr std::array<uint8_t, kMaxId + 1> kIndex = MakeIndex();

const PropertyInfo* Info(PropertyId id) { return FindPropertyInfo(static_cast<uint8_t>(id)); }

std::string SectionRule(PropertyId id, PropertyContext context) {
  return absl::StrCat("MQTT-5.0 §", kSectionPrefix[static_cast<size_t>(context)],
                      SectionNumber(id, context));
}

// User Property may always repeat; Subscription Identifier only in PUBLISH (§3.3.2.3.8). A second
// instance of anything else is a Protocol Error (§3.8.2.1.2 says so for Subscription Identifier in
// SUBSCRIBE, and each other property's section says so for that property).
bool Repeatable(PropertyId id, PropertyContext context) {
  return id == PropertyId::kUserProperty ||
         (id == PropertyId::kSubscriptionIdentifier && context == PropertyContext::kPublish);
}

bool IsIntegerType(PropertyType t) {
  return t == PropertyType::kByte || t == PropertyType::kTwoByteInteger ||
         t == PropertyType::kFourByteInteger || t == PropertyType::kVariableByteInteger;
}

const char* TypeName(PropertyType t) {
  switch (t) {
    case PropertyType::kByte:
      return "Byte";
    case PropertyType::kTwoByteInteger:
      return "Two Byte Integer";
    case PropertyType::kFourByteInteger:
      return "Four Byte Integer";
    case PropertyType::kVariableByteInteger:
      return "Variable Byte Integer";
    case PropertyType::kUtf8String:
      return "UTF-8 Encoded String";
    case PropertyType::kBinaryData:
      return "Binary Data";
    case PropertyType::kUtf8StringPair:
      return "UTF-8 String Pair";
  }
  return "?";
}

// The value rules both a sender and a receiver check. `rule` is the spec reference to cite.
struct RangeViolation {
  std::string rule;
  std::string detail;
  // The reason code a receiver disconnects with; most range rules are plain Protocol Errors.
  uint8_t reason = kReasonProtocolError;
};

std::optional<RangeViolation> CheckRange(const PropertyInfo& info, PropertyContext context,
                                         uint32_t v) {
  const char* name = info.name;
  switch (info.id) {
    case PropertyId::kPayloadFormatIndicator:
    case PropertyId::kRequestProblemInformation:
    case PropertyId::kRequestResponseInformation:
    case PropertyId::kMaximumQos:
    case PropertyId::kRetainAvailable:
    case PropertyId::kWildcardSubscriptionAvailable:
    case PropertyId::kSubscriptionIdentifierAvailable:
    case PropertyId::kSharedSubscriptionAvailable:
      if (v > 1) {
        return RangeViolation{SectionRule(info.id, context),
                              absl::StrCat(name, " is ", v, "; it must be 0 or 1")};
      }
      return std::nullopt;
    case PropertyId::kReceiveMaximum:
    case PropertyId::kMaximumPacketSize:
      if (v == 0) {
        return RangeViolation{
            SectionRule(info.id, context),
            absl::StrCat("it is a Protocol Error for the ", name, " to have the value 0")};
      }
      break;
    case PropertyId::kTopicAlias:
      if (v == 0) {
        // A receiver answers this one with 0x94 Topic Alias invalid, not 0x82 [MQTT-3.3.2-8].
        return RangeViolation{"MQTT-3.3.2-8", "a Topic Alias of 0 is not permitted",
                              kReasonTopicAliasInvalid};
      }
      break;
    case PropertyId::kSubscriptionIdentifier:
      if (v == 0 || v > kMaxVarInt) {
        return RangeViolation{SectionRule(info.id, context),
                              absl::StrCat(name, " is ", v, "; it must be 1 to 268,435,455")};
      }
      return std::nullopt;
    default:
      break;
  }
  // Encoders can be handed values too wide for the wire type; decoders never see them.
  if (info.type == PropertyType::kTwoByteInteger && v > 0xFFFF) {
    return RangeViolation{"MQTT-5.0 §1.5.2",
                          absl::StrCat(name, " is ", v, "; a Two Byte Integer is at most 65,535")};
  }
  return std::nullopt;
}

size_t ItemSize(const PropertyInfo& info, const Property& p) {
  size_t n = VarIntSize(static_cast<uint8_t>(p.id));
  switch (info.type) {
    case PropertyType::kByte:
      return n + 1;
    case PropertyType::kTwoByteInteger:
      return n + 2;
    case PropertyType::kFourByteInteger:
      return n + 4;
    case PropertyType::kVariableByteInteger:
      return n + VarIntSize(p.int_value);
    case PropertyType::kUtf8String:
    case PropertyType::kBinaryData:
      return n + LengthPrefixedSize(p.value);
    case PropertyType::kUtf8StringPair:
      return n + LengthPrefixedSize(p.name) + LengthPrefixedSize(p.value);
  }
  return n;
}

absl::Status CheckString(const PropertyInfo& info, const char* what, absl::string_view s) {
  if (s.size() > kMaxTwoByteLength) {
    return EncodeError(absl::StrCat(info.name, " ", what, " is ", s.size(),
                                    " bytes; the maximum is 65,535 (MQTT-5.0 §1.5.4)"));
  }
  absl::Status utf8 = ValidateMqttUtf8(s);
  if (!utf8.ok()) return EncodeError(absl::StrCat(info.name, " ", what, ": ", utf8.message()));
  return absl::OkStatus();
}

}  // namespace

const PropertyInfo* FindPropertyInfo(uint8_t id) {
  if (id > kMaxId || kIndex[id] == 0) return nullptr;
  return &kInfos[kIndex[id] - 1];
}

absl::Span<const PropertyInfo> AllPropertyInfos() { return absl::MakeConstSpan(kInfos); }

bool PropertyAllowedIn(PropertyId id, PropertyContext context) {
  const PropertyInfo* info = Info(id);
  return info != nullptr && (info->contexts & Bit(context)) != 0;
}

const char* PropertyContextName(PropertyContext context) {
  const size_t c = static_cast<size_t>(context);
  return c < kNumContexts ? kContextNames[c] : "unknown context";
}

void Properties::SetInt(PropertyId id, uint32_t value) {
  Property p;
  p.id = id;
  p.int_value = value;
  auto it =
      std::find_if(items_.begin(), items_.end(), [id](const Property& q) { return q.id == id; });
  if (it == items_.end()) {
    items_.push_back(std::move(p));
    return;
  }
  *it = std::move(p);
  items_.erase(std::remove_if(it + 1, items_.end(), [id](const Property& q) { return q.id == id; }),
               items_.end());
}

void Properties::SetString(PropertyId id, absl::string_view value) {
  auto it =
      std::find_if(items_.begin(), items_.end(), [id](const Property& q) { return q.id == id; });
  if (it == items_.end()) {
    Property& p = items_.emplace_back();
    p.id = id;
    p.value.assign(value.data(), value.size());
    return;
  }
  it->int_value = 0;
  it->name.clear();
  it->value.assign(value.data(), value.size());
  items_.erase(std::remove_if(it + 1, items_.end(), [id](const Property& q) { return q.id == id; }),
               items_.end());
}

void Properties::AddUserProperty(absl::string_view name, absl::string_view value) {
  Property& p = items_.emplace_back();
  p.id = PropertyId::kUserProperty;
  p.name.assign(name.data(), name.size());
  p.value.assign(value.data(), value.size());
}

void Properties::AddSubscriptionIdentifier(uint32_t value) {
  Property& p = items_.emplace_back();
  p.id = PropertyId::kSubscriptionIdentifier;
  p.int_value = value;
}

size_t Properties::Remove(PropertyId id) {
  const size_t before = items_.size();
  items_.erase(
      std::remove_if(items_.begin(), items_.end(), [id](const Property& q) { return q.id == id; }),
      items_.end());
  return before - items_.size();
}

bool Properties::Has(PropertyId id) const {
  return std::any_of(items_.begin(), items_.end(), [id](const Property& q) { return q.id == id; });
}

std::optional<uint32_t> Properties::GetInt(PropertyId id) const {
  const PropertyInfo* info = Info(id);
  if (info == nullptr || !IsIntegerType(info->type)) return std::nullopt;
  for (const Property& p : items_) {
    if (p.id == id) return p.int_value;
  }
  return std::nullopt;
}

std::optional<absl::string_view> Properties::GetString(PropertyId id) const {
  const PropertyInfo* info = Info(id);
  if (info == nullptr ||
      (info->type != PropertyType::kUtf8String && info->type != PropertyType::kBinaryData)) {
    return std::nullopt;
  }
  for (const Property& p : items_) {
    if (p.id == id) return absl::string_view(p.value);
  }
  return std::nullopt;
}

std::vector<uint32_t> Properties::GetSubscriptionIdentifiers() const {
  std::vector<uint32_t> out;
  for (const Property& p : items_) {
    if (p.id == PropertyId::kSubscriptionIdentifier) out.push_back(p.int_value);
  }
  return out;
}

std::vector<std::pair<absl::string_view, absl::string_view>> Properties::GetUserProperties() const {
  std::vector<std::pair<absl::string_view, absl::string_view>> out;
  for (const Property& p : items_) {
    if (p.id == PropertyId::kUserProperty) out.emplace_back(p.name, p.value);
  }
  return out;
}

absl::Status Properties::Validate(PropertyContext context) const {
  uint64_t seen = 0;
  for (const Property& p : items_) {
    const uint8_t raw = static_cast<uint8_t>(p.id);
    const PropertyInfo* info = FindPropertyInfo(raw);
    if (info == nullptr) {
      return EncodeError(
          absl::StrFormat("0x%02X is not a property identifier (MQTT-5.0 §2.2.2.2)", raw));
    }
    if ((info->contexts & Bit(context)) == 0) {
      return EncodeError(absl::StrCat(info->name, " is not allowed in ",
                                      PropertyContextName(context), " (MQTT-5.0 §2.2.2.2)"));
    }
    const uint64_t bit = uint64_t{1} << raw;
    if ((seen & bit) != 0 && !Repeatable(p.id, context)) {
      return EncodeError(absl::StrCat("it is a Protocol Error to include the ", info->name,
                                      " more than once (", SectionRule(p.id, context), ")"));
    }
    seen |= bit;

    // Catches a value put in the wrong field, e.g. SetInt on a string property, which would
    // otherwise be encoded as an empty string without a word.
    if (IsIntegerType(info->type)) {
      if (!p.name.empty() || !p.value.empty()) {
        return EncodeError(absl::StrCat(info->name, " is a ", TypeName(info->type),
                                        " but has a string value; set it with SetInt"));
      }
      if (std::optional<RangeViolation> bad = CheckRange(*info, context, p.int_value)) {
        return EncodeError(absl::StrCat(bad->detail, " (", bad->rule, ")"));
      }
      continue;
    }
    if (p.int_value != 0 || (info->type != PropertyType::kUtf8StringPair && !p.name.empty())) {
      return EncodeError(absl::StrCat(
          info->name, " is ", TypeName(info->type),
          " but has an integer value or a name; set it with ",
          info->type == PropertyType::kUtf8StringPair ? "AddUserProperty" : "SetString"));
    }
    switch (info->type) {
      case PropertyType::kUtf8String:
        OUZEL_RETURN_IF_ERROR(CheckString(*info, "value", p.value));
        break;
      case PropertyType::kUtf8StringPair:
        OUZEL_RETURN_IF_ERROR(CheckString(*info, "name", p.name));
        OUZEL_RETURN_IF_ERROR(CheckString(*info, "value", p.value));
        break;
      case PropertyType::kBinaryData:
        if (p.value.size() > kMaxTwoByteLength) {
          return EncodeError(
              absl::StrCat(info->name, " is ", p.value.size(),
                           " bytes; Binary Data is at most 65,535 (MQTT-5.0 §1.5.6)"));
        }
        break;
      default:
        break;
    }
  }
  const uint64_t method_bit = uint64_t{1}
                              << static_cast<uint8_t>(PropertyId::kAuthenticationMethod);
  const uint64_t data_bit = uint64_t{1} << static_cast<uint8_t>(PropertyId::kAuthenticationData);
  if (context == PropertyContext::kConnect && (seen & data_bit) != 0 && (seen & method_bit) == 0) {
    return EncodeError(
        "it is a Protocol Error to include Authentication Data if there is no Authentication "
        "Method (MQTT-5.0 §3.1.2.11.10)");
  }
  if (context == PropertyContext::kAuth && (seen & method_bit) == 0) {
    return EncodeError(
        "it is a Protocol Error to omit the Authentication Method from AUTH (MQTT-5.0 "
        "§3.15.2.2.2)");
  }
  return absl::OkStatus();
}

size_t Properties::EncodedBodySize() const {
  size_t n = 0;
  for (const Property& p : items_) {
    if (const PropertyInfo* info = Info(p.id)) n += ItemSize(*info, p);
  }
  return n;
}

size_t Properties::EncodedSize() const {
  const size_t body = EncodedBodySize();
  return VarIntSize(static_cast<uint32_t>(body)) + body;
}

void Properties::EncodeTo(ByteBuffer* out) const {
  const size_t body = EncodedBodySize();
  out->Reserve(VarIntSize(static_cast<uint32_t>(body)) + body);
  AppendVarInt(static_cast<uint32_t>(body), out);
  for (const Property& p : items_) {
    const PropertyInfo* info = Info(p.id);
    if (info == nullptr) continue;  // EncodedBodySize skipped it too
    AppendVarInt(static_cast<uint8_t>(p.id), out);
    switch (info->type) {
      case PropertyType::kByte:
        out->AppendU8(static_cast<uint8_t>(p.int_value));
        break;
      case PropertyType::kTwoByteInteger:
        out->AppendU16(static_cast<uint16_t>(p.int_value));
        break;
      case PropertyType::kFourByteInteger:
        out->AppendU32(p.int_value);
        break;
      case PropertyType::kVariableByteInteger:
        AppendVarInt(p.int_value, out);
        break;
      case PropertyType::kUtf8String:
      case PropertyType::kBinaryData:
        AppendLengthPrefixed(p.value, out);
        break;
      case PropertyType::kUtf8StringPair:
        AppendLengthPrefixed(p.name, out);
        AppendLengthPrefixed(p.value, out);
        break;
    }
  }
}

absl::StatusOr<Properties> Properties::Decode(WireReader& reader, PropertyContext context) {
  const size_t length_offset = reader.offset();
  OUZEL_ASSIGN_OR_RETURN(const uint32_t length, reader.ReadVarInt());
  if (length > reader.remaining()) {
    return MalformedPacketError("MQTT-5.0 §2.2.2.1", length_offset,
                                absl::StrCat("Property Length ", length, " exceeds the ",
                                             reader.remaining(), " bytes left in the packet"));
  }
  OUZEL_ASSIGN_OR_RETURN(WireReader r, reader.Sub(length));

  Properties props;
  // The smallest property is 2 bytes; most blocks hold a handful, so this is usually the only
  // allocation for the vector, without letting a big block of User Properties over-reserve.
  props.items_.reserve(std::min<size_t>(length / 2, 16));
  uint64_t seen = 0;
  size_t auth_data_offset = 0;
  while (!r.empty()) {
    const size_t id_offset = r.offset();
    OUZEL_ASSIGN_OR_RETURN(const uint32_t raw, r.ReadVarInt());
    const PropertyInfo* info =
        raw <= kMaxId ? FindPropertyInfo(static_cast<uint8_t>(raw)) : nullptr;
    if (info == nullptr) {
      return MalformedPacketError("MQTT-5.0 §2.2.2.2", id_offset,
                                  absl::StrFormat("unknown property identifier 0x%02X", raw));
    }
    if ((info->contexts & Bit(context)) == 0) {
      return MalformedPacketError("MQTT-5.0 §2.2.2.2", id_offset,
                                  absl::StrFormat("%s (0x%02X) is not valid in %s", info->name, raw,
                                                  PropertyContextName(context)));
    }
    const uint64_t bit = uint64_t{1} << raw;
    if ((seen & bit) != 0 && !Repeatable(info->id, context)) {
      return ProtocolErrorAt(
          SectionRule(info->id, context), id_offset,
          absl::StrCat("it is a Protocol Error to include the ", info->name, " more than once"));
    }
    seen |= bit;
    if (info->id == PropertyId::kAuthenticationData) auth_data_offset = id_offset;

    Property& p = props.items_.emplace_back();
    p.id = info->id;
    const size_t value_offset = r.offset();
    switch (info->type) {
      case PropertyType::kByte: {
        OUZEL_ASSIGN_OR_RETURN(p.int_value, r.ReadU8());
        break;
      }
      case PropertyType::kTwoByteInteger: {
        OUZEL_ASSIGN_OR_RETURN(p.int_value, r.ReadU16());
        break;
      }
      case PropertyType::kFourByteInteger: {
        OUZEL_ASSIGN_OR_RETURN(p.int_value, r.ReadU32());
        break;
      }
      case PropertyType::kVariableByteInteger: {
        OUZEL_ASSIGN_OR_RETURN(p.int_value, r.ReadVarInt());
        break;
      }
      case PropertyType::kUtf8String: {
        OUZEL_ASSIGN_OR_RETURN(absl::string_view s, r.ReadUtf8String());
        p.value.assign(s.data(), s.size());
        break;
      }
      case PropertyType::kBinaryData: {
        OUZEL_ASSIGN_OR_RETURN(absl::string_view s, r.ReadBinary());
        p.value.assign(s.data(), s.size());
        break;
      }
      case PropertyType::kUtf8StringPair: {
        OUZEL_ASSIGN_OR_RETURN(absl::string_view name, r.ReadUtf8String());
        OUZEL_ASSIGN_OR_RETURN(absl::string_view value, r.ReadUtf8String());
        p.name.assign(name.data(), name.size());
        p.value.assign(value.data(), value.size());
        break;
      }
    }
    if (IsIntegerType(info->type)) {
      if (std::optional<RangeViolation> bad = CheckRange(*info, context, p.int_value)) {
        return DecodeErrorWithReason(bad->reason, bad->rule, value_offset, bad->detail);
      }
    }
  }

  const uint64_t method_bit = uint64_t{1}
                              << static_cast<uint8_t>(PropertyId::kAuthenticationMethod);
  const uint64_t data_bit = uint64_t{1} << static_cast<uint8_t>(PropertyId::kAuthenticationData);
  if (context == PropertyContext::kConnect && (seen & data_bit) != 0 && (seen & method_bit) == 0) {
    return ProtocolErrorAt(
        "MQTT-5.0 §3.1.2.11.10", auth_data_offset,
        "it is a Protocol Error to include Authentication Data if there is no Authentication "
        "Method");
  }
  if (context == PropertyContext::kAuth && (seen & method_bit) == 0) {
    return ProtocolErrorAt("MQTT-5.0 §3.15.2.2.2", length_offset,
                           "it is a Protocol Error to omit the Authentication Method");
  }
  return props;
}

}  // namespace ouzel
