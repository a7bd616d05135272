#include "cc/codec/packet_test_util.h"

#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cc/base/byte_buffer.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/decode.h"
#include "cc/codec/encode.h"
#include "cc/codec/reason_codes.h"
#include "cc/codec/varint.h"

namespace ouzel {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Quote(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "\\x", absl::Hex(c, absl::kZeroPad2));
    }
  }
  out.push_back('"');
  return out;
}

std::string Code(uint8_t c) { return absl::StrCat("0x", absl::Hex(c, absl::kZeroPad2)); }

std::string Codes(const std::vector<uint8_t>& codes) {
  return absl::StrCat(
      "[", absl::StrJoin(codes, ",", [](std::string* out, uint8_t c) { out->append(Code(c)); }),
      "]");
}

std::string DescribeAck(const char* name, const PublishAck& a) {
  return absl::StrCat(name, "{id=", a.packet_id, " rc=", Code(a.reason_code),
                      " props=", Describe(a.properties), "}");
}

}  // namespace

std::vector<uint8_t> Hex(absl::string_view hex) {
  std::vector<uint8_t> out;
  int high = -1;
  for (char c : hex) {
    if (c == ' ' || c == '\n' || c == '\t') continue;
    const int d = HexDigit(c);
    if (d < 0) {
      std::fprintf(stderr, "Hex(): '%c' is not a hex digit in \"%.*s\"\n", c,
                   static_cast<int>(hex.size()), hex.data());
      std::abort();
    }
    if (high < 0) {
      high = d;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | d));
      high = -1;
    }
  }
  if (high >= 0) {
    std::fprintf(stderr, "Hex(): odd number of digits in \"%.*s\"\n", static_cast<int>(hex.size()),
                 hex.data());
    std::abort();
  }
  return out;
}

std::string ToHex(absl::Span<const uint8_t> bytes) {
  return absl::StrJoin(bytes, " ", [](std::string* out, uint8_t b) {
    absl::StrAppend(out, absl::Hex(b, absl::kZeroPad2));
  });
}

std::string Describe(const Properties& props) {
  std::vector<std::string> parts;
  for (const Property& p : props.items()) {
    const PropertyInfo* info = FindPropertyInfo(static_cast<uint8_t>(p.id));
    std::string name = info ? info->name : Code(static_cast<uint8_t>(p.id));
    if (p.id == PropertyId::kUserProperty) {
      parts.push_back(absl::StrCat(name, "(", Quote(p.name), "=", Quote(p.value), ")"));
    } else if (info && (info->type == PropertyType::kUtf8String ||
                        info->type == PropertyType::kBinaryData)) {
      parts.push_back(absl::StrCat(name, "=", Quote(p.value)));
    } else {
      parts.push_back(absl::StrCat(name, "=", p.int_value));
    }
  }
  return absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
}

std::string Describe(const Packet& packet) {
  return std::visit(
      [](const auto& p) -> std::string {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, ConnectPacket>) {
          std::string will = "none";
          if (p.will) {
            will =
                absl::StrCat("{topic=", Quote(p.will->topic), " payload=", Quote(p.will->payload),
                             " qos=", int{p.will->qos}, " retain=", p.will->retain,
                             " props=", Describe(p.will->properties), "}");
          }
          return absl::StrCat("CONNECT{version=", static_cast<int>(p.version),
                              " client_id=", Quote(p.client_id), " clean_start=", p.clean_start,
                              " keep_alive=", p.keep_alive,
                              " username=", p.username ? Quote(*p.username) : "none",
                              " password=", p.password ? Quote(*p.password) : "none",
                              " will=", will, " props=", Describe(p.properties), "}");
        } else if constexpr (std::is_same_v<T, ConnackPacket>) {
          return absl::StrCat("CONNACK{session_present=", p.session_present,
                              " rc=", Code(p.reason_code), " props=", Describe(p.properties), "}");
        } else if constexpr (std::is_same_v<T, PublishPacket>) {
          return absl::StrCat(
              "PUBLISH{topic=", Quote(p.topic), " qos=", int{p.qos}, " retain=", p.retain,
              " dup=", p.dup, " id=", p.packet_id, " payload=",
              p.payload.size() > 64 ? absl::StrCat(p.payload.size(), " bytes") : Quote(p.payload),
              " props=", Describe(p.properties), "}");
        } else if constexpr (std::is_same_v<T, PubackPacket>) {
          return DescribeAck("PUBACK", p);
        } else if constexpr (std::is_same_v<T, PubrecPacket>) {
          return DescribeAck("PUBREC", p);
        } else if constexpr (std::is_same_v<T, PubrelPacket>) {
          return DescribeAck("PUBREL", p);
        } else if constexpr (std::is_same_v<T, PubcompPacket>) {
          return DescribeAck("PUBCOMP", p);
        } else if constexpr (std::is_same_v<T, SubscribePacket>) {
          std::vector<std::string> subs;
          for (const Subscription& s : p.subscriptions) {
            subs.push_back(absl::StrCat(Quote(s.filter), " qos=", int{s.qos}, " nl=", s.no_local,
                                        " rap=", s.retain_as_published,
                                        " rh=", int{s.retain_handling}));
          }
          return absl::StrCat("SUBSCRIBE{id=", p.packet_id, " subs=[", absl::StrJoin(subs, "; "),
                              "] props=", Describe(p.properties), "}");
        } else if constexpr (std::is_same_v<T, SubackPacket>) {
          return absl::StrCat("SUBACK{id=", p.packet_id, " codes=", Codes(p.reason_codes),
                              " props=", Describe(p.properties), "}");
        } else if constexpr (std::is_same_v<T, UnsubscribePacket>) {
          std::vector<std::string> filters;
          for (const std::string& f : p.filters) filters.push_back(Quote(f));
          return absl::StrCat("UNSUBSCRIBE{id=", p.packet_id, " filters=[",
                              absl::StrJoin(filters, ", "), "] props=", Describe(p.properties),
                              "}");
        } else if constexpr (std::is_same_v<T, UnsubackPacket>) {
          return absl::StrCat("UNSUBACK{id=", p.packet_id, " codes=", Codes(p.reason_codes),
                              " props=", Describe(p.properties), "}");
        } else if constexpr (std::is_same_v<T, PingreqPacket>) {
          return "PINGREQ{}";
        } else if constexpr (std::is_same_v<T, PingrespPacket>) {
          return "PINGRESP{}";
        } else if constexpr (std::is_same_v<T, DisconnectPacket>) {
          return absl::StrCat("DISCONNECT{rc=", Code(p.reason_code),
                              " props=", Describe(p.properties), "}");
        } else {
          static_assert(std::is_same_v<T, AuthPacket>);
          return absl::StrCat("AUTH{rc=", Code(p.reason_code), " props=", Describe(p.properties),
                              "}");
        }
      },
      packet);
}

void PrintTo(const Packet& packet, std::ostream* os) { *os << Describe(packet); }

absl::StatusOr<Packet> DecodeWhole(absl::Span<const uint8_t> bytes, ProtocolVersion version) {
  if (bytes.empty()) return absl::InvalidArgumentError("DecodeWhole: no bytes");
  VarIntDecoder length;
  size_t i = 1;
  while (true) {
    if (i >= bytes.size()) return absl::InvalidArgumentError("DecodeWhole: truncated length");
    const VarIntDecoder::State s = length.Feed(bytes[i++]);
    if (s == VarIntDecoder::State::kNeedMore) continue;
    if (s == VarIntDecoder::State::kTooLong) {
      return absl::InvalidArgumentError("DecodeWhole: length too long");
    }
    break;
  }
  if (bytes.size() - i != length.value()) {
    return absl::InvalidArgumentError(absl::StrCat("DecodeWhole: Remaining Length ", length.value(),
                                                   " but ", bytes.size() - i, " bytes follow"));
  }
  // A copy of exactly the body, so a read past its end is an AddressSanitizer report.
  std::vector<uint8_t> body(bytes.begin() + i, bytes.end());
  return DecodePacket(bytes[0], body, i, version);
}

absl::StatusOr<std::vector<uint8_t>> EncodeToBytes(const Packet& packet, ProtocolVersion version) {
  ByteBuffer out;
  absl::Status s = EncodePacket(packet, version, &out);
  if (!s.ok()) return s;
  return out.Release();
}

::testing::AssertionResult IsDecodeError(const absl::Status& status, uint8_t reason,
                                         absl::string_view rule, size_t offset) {
  if (status.code() != absl::StatusCode::kDataLoss) {
    return ::testing::AssertionFailure() << "expected a DataLoss decode error, got " << status;
  }
  const std::optional<uint8_t> got = DisconnectReasonOf(status);
  if (got != reason) {
    return ::testing::AssertionFailure()
           << "expected reason " << Code(reason) << ", got "
           << (got ? Code(*got) : std::string("none")) << ": " << status;
  }
  const std::string want_rule = absl::StrCat("[", rule, "]");
  if (status.message().find(want_rule) == absl::string_view::npos) {
    return ::testing::AssertionFailure() << "expected rule " << want_rule << ": " << status;
  }
  const std::string want_offset = absl::StrCat("at offset ", offset);
  const absl::string_view msg = status.message();
  if (msg.size() < want_offset.size() ||
      msg.substr(msg.size() - want_offset.size()) != want_offset) {
    return ::testing::AssertionFailure() << "expected \"" << want_offset << "\": " << status;
  }
  return ::testing::AssertionSuccess() << status;
}

// ---------------------------------------------------------------------------------------------
// Random valid packets.

namespace {

uint32_t Uniform(std::mt19937& rng, uint32_t lo, uint32_t hi) {
  return std::uniform_int_distribution<uint32_t>(lo, hi)(rng);
}
bool Coin(std::mt19937& rng) { return Uniform(rng, 0, 1) == 1; }

// Valid MQTT UTF-8 made of ASCII and a few multi-byte characters (2, 3 and 4 bytes).
std::string RandomText(std::mt19937& rng, size_t max_chars, bool topic_safe = false) {
  static constexpr const char* kPieces[] = {
      "a", "b", "z", "0", "/", "-", "_", " ", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E", "$"};
  std::string s;
  const size_t n = Uniform(rng, 0, static_cast<uint32_t>(max_chars));
  for (size_t i = 0; i < n; ++i) {
    const char* piece = kPieces[Uniform(rng, 0, topic_safe ? 10 : 11)];
    s += piece;
  }
  return s;
}

std::string RandomBinary(std::mt19937& rng, size_t max_size) {
  std::string s(Uniform(rng, 0, static_cast<uint32_t>(max_size)), '\0');
  for (char& c : s) c = static_cast<char>(Uniform(rng, 0, 255));
  return s;
}

std::string RandomTopicName(std::mt19937& rng) {
  std::string s;
  while (s.empty()) s = RandomText(rng, 12, /*topic_safe=*/true);
  return s;
}

std::string RandomFilter(std::mt19937& rng, bool allow_shared) {
  static constexpr const char* kFilters[] = {"#", "+", "a/+/c", "a/#", "$SYS/#", "+/+"};
  switch (Uniform(rng, 0, 3)) {
    case 0:
      return kFilters[Uniform(rng, 0, 5)];
    case 1:
      if (allow_shared) return "$share/group/" + RandomTopicName(rng);
      [[fallthrough]];
    default:
      return RandomTopicName(rng);
  }
}

uint8_t RandomCode(std::mt19937& rng, ReasonContext context) {
  absl::Span<const uint8_t> codes = ValidReasonCodes(context);
  return codes[Uniform(rng, 0, static_cast<uint32_t>(codes.size() - 1))];
}

uint16_t RandomPacketId(std::mt19937& rng) {
  return static_cast<uint16_t>(Coin(rng) ? Uniform(rng, 1, 65535) : Uniform(rng, 1, 3));
}

}  // namespace

Properties RandomProperties(std::mt19937& rng, PropertyContext context) {
  Properties props;
  const bool auth_method_needed = context == PropertyContext::kAuth;
  for (const PropertyInfo& info : AllPropertyInfos()) {
    if (!PropertyAllowedIn(info.id, context)) continue;
    if (info.id == PropertyId::kAuthenticationMethod && auth_method_needed) continue;
    if (Uniform(rng, 0, 3) != 0) continue;  // each allowed property with probability 1/4
    int copies = 1;
    if (info.id == PropertyId::kUserProperty ||
        (info.id == PropertyId::kSubscriptionIdentifier && context == PropertyContext::kPublish)) {
      copies = static_cast<int>(Uniform(rng, 1, 3));
    }
    for (int i = 0; i < copies; ++i) {
      Property p;
      p.id = info.id;
      switch (info.type) {
        case PropertyType::kByte:
          p.int_value = Uniform(rng, 0, 1);
          break;
        case PropertyType::kTwoByteInteger:
          p.int_value = Uniform(rng, 1, 65535);
          break;
        case PropertyType::kFourByteInteger:
          p.int_value = Coin(rng) ? Uniform(rng, 1, 0xFFFFFFFF) : Uniform(rng, 1, 300);
          break;
        case PropertyType::kVariableByteInteger:
          p.int_value = Coin(rng) ? Uniform(rng, 1, kMaxVarInt) : Uniform(rng, 1, 200);
          break;
        case PropertyType::kUtf8String:
          p.value = RandomText(rng, 10);
          break;
        case PropertyType::kBinaryData:
          p.value = RandomBinary(rng, 10);
          break;
        case PropertyType::kUtf8StringPair:
          p.name = RandomText(rng, 6);
          p.value = RandomText(rng, 6);
          break;
      }
      props.Append(std::move(p));
    }
  }
  // Authentication Data needs an Authentication Method in CONNECT (5.0 §3.1.2.11.10), and AUTH
  // always carries one (§3.15.2.2.2).
  if (auth_method_needed ||
      (context == PropertyContext::kConnect && props.Has(PropertyId::kAuthenticationData) &&
       !props.Has(PropertyId::kAuthenticationMethod))) {
    props.SetString(PropertyId::kAuthenticationMethod, "SCRAM-SHA-256");
  }
  absl::Status valid = props.Validate(context);
  if (!valid.ok()) {
    std::fprintf(stderr, "RandomProperties made invalid properties %s: %s\n",
                 Describe(props).c_str(), valid.ToString().c_str());
    std::abort();
  }
  return props;
}

Packet RandomPacket(std::mt19937& rng, PacketType type, ProtocolVersion v) {
  const bool v5 = IsV5(v);
  auto props = [&](PropertyContext c) { return v5 ? RandomProperties(rng, c) : Properties(); };
  auto ack = [&](auto packet, ReasonContext rc, PropertyContext pc) {
    packet.packet_id = RandomPacketId(rng);
    if (v5) {
      if (Coin(rng)) packet.reason_code = RandomCode(rng, rc);
      if (Coin(rng)) packet.properties = RandomProperties(rng, pc);
    }
    return Packet(std::move(packet));
  };
  switch (type) {
    case PacketType::kConnect: {
      ConnectPacket p;
      p.version = v;
      p.client_id = RandomText(rng, 23);
      p.clean_start = Coin(rng);
      p.keep_alive = static_cast<uint16_t>(Uniform(rng, 0, 65535));
      if (Coin(rng)) p.username = RandomText(rng, 12);
      if (Coin(rng) && (p.username || v5)) p.password = RandomBinary(rng, 12);
      if (Coin(rng)) {
        Will w;
        w.topic = RandomTopicName(rng);
        w.payload = RandomBinary(rng, 40);
        w.qos = static_cast<uint8_t>(Uniform(rng, 0, 2));
        w.retain = Coin(rng);
        w.properties = props(PropertyContext::kWill);
        p.will = std::move(w);
      }
      p.properties = props(PropertyContext::kConnect);
      return p;
    }
    case PacketType::kConnack: {
      ConnackPacket p;
      if (Coin(rng)) {
        p.reason_code = RandomCode(rng, v5 ? ReasonContext::kConnack : ReasonContext::kConnackV3);
      }
      p.session_present = p.reason_code == 0 && v != ProtocolVersion::kV31 && Coin(rng);
      p.properties = props(PropertyContext::kConnack);
      return p;
    }
    case PacketType::kPublish: {
      PublishPacket p;
      p.qos = static_cast<uint8_t>(Uniform(rng, 0, 2));
      p.retain = Coin(rng);
      p.dup = p.qos > 0 && Coin(rng);
      if (p.qos > 0) p.packet_id = RandomPacketId(rng);
      p.properties = props(PropertyContext::kPublish);
      const bool alias_only = v5 && p.properties.Has(PropertyId::kTopicAlias) && Coin(rng);
      if (!alias_only) p.topic = RandomTopicName(rng);
      // Mostly small payloads, sometimes ones that need a 2- or 3-byte Remaining Length.
      const uint32_t size_class = Uniform(rng, 0, 9);
      p.payload = RandomBinary(rng, size_class == 0 ? 20000 : size_class < 3 ? 300 : 40);
      return p;
    }
    case PacketType::kPuback:
      return ack(PubackPacket{}, ReasonContext::kPuback, PropertyContext::kPuback);
    case PacketType::kPubrec:
      return ack(PubrecPacket{}, ReasonContext::kPubrec, PropertyContext::kPubrec);
    case PacketType::kPubrel:
      return ack(PubrelPacket{}, ReasonContext::kPubrel, PropertyContext::kPubrel);
    case PacketType::kPubcomp:
      return ack(PubcompPacket{}, ReasonContext::kPubcomp, PropertyContext::kPubcomp);
    case PacketType::kSubscribe: {
      SubscribePacket p;
      p.packet_id = RandomPacketId(rng);
      const uint32_t n = Uniform(rng, 1, 4);
      for (uint32_t i = 0; i < n; ++i) {
        Subscription s;
        s.filter = RandomFilter(rng, true);
        s.qos = static_cast<uint8_t>(Uniform(rng, 0, 2));
        if (v5) {
          s.no_local = s.filter.rfind("$share/", 0) != 0 && Coin(rng);
          s.retain_as_published = Coin(rng);
          s.retain_handling = static_cast<uint8_t>(Uniform(rng, 0, 2));
        }
        p.subscriptions.push_back(std::move(s));
      }
      p.properties = props(PropertyContext::kSubscribe);
      return p;
    }
    case PacketType::kSuback: {
      SubackPacket p;
      p.packet_id = RandomPacketId(rng);
      const ReasonContext rc = v5                            ? ReasonContext::kSuback
                               : v == ProtocolVersion::kV311 ? ReasonContext::kSubackV311
                                                             : ReasonContext::kSubackV31;
      const uint32_t n = Uniform(rng, 1, 5);
      for (uint32_t i = 0; i < n; ++i) p.reason_codes.push_back(RandomCode(rng, rc));
      p.properties = props(PropertyContext::kSuback);
      return p;
    }
    case PacketType::kUnsubscribe: {
      UnsubscribePacket p;
      p.packet_id = RandomPacketId(rng);
      const uint32_t n = Uniform(rng, 1, 4);
      for (uint32_t i = 0; i < n; ++i) p.filters.push_back(RandomFilter(rng, true));
      p.properties = props(PropertyContext::kUnsubscribe);
      return p;
    }
    case PacketType::kUnsuback: {
      UnsubackPacket p;
      p.packet_id = RandomPacketId(rng);
      if (v5) {
        const uint32_t n = Uniform(rng, 1, 5);
        for (uint32_t i = 0; i < n; ++i) {
          p.reason_codes.push_back(RandomCode(rng, ReasonContext::kUnsuback));
        }
      }
      p.properties = props(PropertyContext::kUnsuback);
      return p;
    }
    case PacketType::kPingreq:
      return PingreqPacket{};
    case PacketType::kPingresp:
      return PingrespPacket{};
    case PacketType::kDisconnect: {
      DisconnectPacket p;
      if (v5 && Coin(rng)) p.reason_code = RandomCode(rng, ReasonContext::kDisconnect);
      if (v5 && Coin(rng)) p.properties = RandomProperties(rng, PropertyContext::kDisconnect);
      return p;
    }
    case PacketType::kAuth: {
      AuthPacket p;
      // The empty AUTH (Success, no properties) is one of the forms; the rest carry a method.
      if (Uniform(rng, 0, 4) != 0) {
        p.reason_code = RandomCode(rng, ReasonContext::kAuth);
        p.properties = RandomProperties(rng, PropertyContext::kAuth);
      }
      return p;
    }
  }
  std::abort();
}

std::vector<PacketType> PacketTypesOf(ProtocolVersion version) {
  std::vector<PacketType> types;
  for (int t = 1; t <= 15; ++t) {
    if (t == 15 && !IsV5(version)) break;
    types.push_back(static_cast<PacketType>(t));
  }
  return types;
}

const char* VersionName(ProtocolVersion version) {
  switch (version) {
    case ProtocolVersion::kV31:
      return "V31";
    case ProtocolVersion::kV311:
      return "V311";
    case ProtocolVersion::kV5:
      return "V5";
  }
  return "unknown";
}

}  // namespace ouzel
