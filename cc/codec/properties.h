// MQTT 5 properties (MQTT 5.0 §2.2.2): the 27 identifiers, their wire types, where each may
// appear, and an ordered container that encodes and decodes a property block.
//
// Properties keeps every property in the order it was added or received. User Properties keep
// duplicates and order [MQTT-3.1.3-10]; Subscription Identifier may appear several times in a
// PUBLISH; every other property at most once (a second one is a Protocol Error on decode and an
// encode error on encode).
//
//   Properties p;
//   p.SetInt(PropertyId::kMessageExpiryInterval, 60);
//   p.AddUserProperty("trace", "abc");
//   OUZEL_RETURN_IF_ERROR(p.Validate(PropertyContext::kPublish));
//   p.EncodeTo(&out);  // Variable Byte Integer length, then the properties
#ifndef OUZEL_CC_CODEC_PROPERTIES_H_
#define OUZEL_CC_CODEC_PROPERTIES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cc/base/byte_buffer.h"
#include "cc/codec/wire_reader.h"

namespace ouzel {

enum class PropertyId : uint8_t {
  kPayloadFormatIndicator = 0x01,
  kMessageExpiryInterval = 0x02,
  kContentType = 0x03,
  kResponseTopic = 0x08,
  kCorrelationData = 0x09,
  kSubscriptionIdentifier = 0x0B,
  kSessionExpiryInterval = 0x11,
  kAssignedClientIdentifier = 0x12,
  kServerKeepAlive = 0x13,
  kAuthenticationMethod = 0x15,
  kAuthenticationData = 0x16,
  kRequestProblemInformation = 0x17,
  kWillDelayInterval = 0x18,
  kRequestResponseInformation = 0x19,
  kResponseInformation = 0x1A,
  kServerReference = 0x1C,
  kReasonString = 0x1F,
  kReceiveMaximum = 0x21,
  kTopicAliasMaximum = 0x22,
  kTopicAlias = 0x23,
  kMaximumQos = 0x24,
  kRetainAvailable = 0x25,
  kUserProperty = 0x26,
  kMaximumPacketSize = 0x27,
  kWildcardSubscriptionAvailable = 0x28,
  kSubscriptionIdentifierAvailable = 0x29,
  kSharedSubscriptionAvailable = 0x2A,
};

// The data types of §1.5 a property value can have.
enum class PropertyType : uint8_t {
  kByte,
  kTwoByteInteger,
  kFourByteInteger,
  kVariableByteInteger,
  kUtf8String,
  kBinaryData,
  kUtf8StringPair,
};

// Where a property block appears. kWill is the Will Properties block of a CONNECT payload.
enum class PropertyContext : uint8_t {
  kConnect,
  kConnack,
  kPublish,
  kWill,
  kPuback,
  kPubrec,
  kPubrel,
  kPubcomp,
  kSubscribe,
  kSuback,
  kUnsubscribe,
  kUnsuback,
  kDisconnect,
  kAuth,
};

// Static facts about one identifier (MQTT 5.0 §2.2.2.2 table).
struct PropertyInfo {
  PropertyId id;
  const char* name;  // the spec's name, e.g. "Receive Maximum"
  PropertyType type;
  uint16_t contexts;  // bit (1 << PropertyContext) for every context where it is allowed
};

// Facts about `id`, or nullptr when `id` is not one of the 27 identifiers.
const PropertyInfo* FindPropertyInfo(uint8_t id);
// All 27, in identifier order.
absl::Span<const PropertyInfo> AllPropertyInfos();
bool PropertyAllowedIn(PropertyId id, PropertyContext context);
const char* PropertyContextName(PropertyContext context);

// One property. Integer-typed properties use `int_value`; strings and binary data use `value`;
// a User Property uses `name` (its key) and `value`.
struct Property {
  PropertyId id;
  uint32_t int_value = 0;
  std::string name;
  std::string value;

  friend bool operator==(const Property& a, const Property& b) {
    return a.id == b.id && a.int_value == b.int_value && a.name == b.name && a.value == b.value;
  }
};

class Properties {
 public:
  Properties() = default;

  // Setters replace an existing property of the same id (keeping its position, and dropping any
  // further ones with that id) or append one. They do not check the value's range; Validate() does.
  void SetInt(PropertyId id, uint32_t value);
  void SetString(PropertyId id, absl::string_view value);  // UTF-8 strings and binary data
  // Appends; never replaces (User Property pairs and repeated Subscription Identifiers).
  void AddUserProperty(absl::string_view name, absl::string_view value);
  void AddSubscriptionIdentifier(uint32_t value);
  // Appends as-is, for decoders and tests that need exact control of order and duplicates.
  void Append(Property p) { items_.push_back(std::move(p)); }
  // Removes every property with this id; returns how many were removed.
  size_t Remove(PropertyId id);

  bool Has(PropertyId id) const;
  std::optional<uint32_t> GetInt(PropertyId id) const;
  std::optional<absl::string_view> GetString(PropertyId id) const;
  std::vector<uint32_t> GetSubscriptionIdentifiers() const;
  std::vector<std::pair<absl::string_view, absl::string_view>> GetUserProperties() const;

  const std::vector<Property>& items() const { return items_; }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  void Clear() { items_.clear(); }

  // Checks everything an encoder must: each property allowed in `context`, at most once unless
  // repeatable, values in range (e.g. Receive Maximum and Maximum Packet Size not 0, byte-valued
  // flags 0 or 1, Maximum QoS 0 or 1, Subscription Identifier 1..268,435,455, Topic Alias not 0),
  // strings and binary data at most 65,535 bytes, strings valid MQTT UTF-8, each value in the field
  // its type uses; in CONNECT no Authentication Data without an Authentication Method
  // (§3.1.2.11.10); in AUTH an Authentication Method present (§3.15.2.2.2).
  // InvalidArgument naming the property and the rule otherwise.
  absl::Status Validate(PropertyContext context) const;

  // Bytes of the properties themselves, without the length prefix.
  size_t EncodedBodySize() const;
  // Bytes including the Variable Byte Integer length prefix.
  size_t EncodedSize() const;
  // Appends the length prefix and the properties. Call Validate() first; EncodeTo trusts it.
  void EncodeTo(ByteBuffer* out) const;

  // Reads a length prefix and that many bytes of properties from `reader`, with every decode rule:
  // an unknown identifier or one not allowed in `context` is a Malformed Packet (§2.2.2.2); a
  // repeated single-valued property or an out-of-range value is a Protocol Error (the rule of each
  // property's section, plus the two Authentication rules Validate() lists); a value running past
  // the block is a Malformed Packet. Error offsets are those of the offending byte: the identifier
  // for a property that is unknown, not allowed or repeated; the value for an out-of-range value.
  static absl::StatusOr<Properties> Decode(WireReader& reader, PropertyContext context);

  friend bool operator==(const Properties& a, const Properties& b) { return a.items_ == b.items_; }
  friend bool operator!=(const Properties& a, const Properties& b) { return !(a == b); }

 private:
  std::vector<Property> items_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_PROPERTIES_H_
