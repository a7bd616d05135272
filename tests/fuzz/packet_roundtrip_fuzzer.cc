// Builds a packet of any type from the fuzzer's bytes, for any protocol version, with arbitrary
// fields and properties. When the encoder accepts it, the bytes must decode (whole and one byte at
// a time) to exactly the same packet, and EncodedPacketSize must predict the size. When the encoder
// refuses it, the output buffer must be untouched. Any mismatch aborts.
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "cc/codec/encode.h"
#include "cc/codec/stream_decoder.h"
#include "tests/fuzz/fuzz_input.h"

namespace ouzel {
namespace {

// Mostly plausible values with occasional edge cases, so the encoder's checks are hit too.
uint8_t SmallCode(FuzzInput& in) {
  static constexpr uint8_t kCodes[] = {0x00, 0x01, 0x02, 0x04, 0x10, 0x11, 0x18, 0x19,
                                       0x80, 0x83, 0x87, 0x8E, 0x91, 0x92, 0x97, 0x9C};
  return in.Bool() ? kCodes[in.Below(sizeof(kCodes))] : in.U8();
}

Properties MakeProperties(FuzzInput& in) {
  Properties props;
  const uint32_t n = in.Below(5);
  for (uint32_t i = 0; i < n; ++i) {
    absl::Span<const PropertyInfo> infos = AllPropertyInfos();
    const PropertyInfo& info = infos[in.Below(static_cast<uint32_t>(infos.size()))];
    Property p;
    p.id = info.id;
    switch (info.type) {
      case PropertyType::kByte:
        p.int_value = in.Below(3);
        break;
      case PropertyType::kTwoByteInteger:
        p.int_value = in.Bool() ? in.U16() : in.Below(4);
        break;
      case PropertyType::kFourByteInteger:
      case PropertyType::kVariableByteInteger:
        p.int_value = in.Bool() ? in.U32() : in.Below(300);
        break;
      case PropertyType::kUtf8String:
      case PropertyType::kBinaryData:
        p.value = in.String(16);
        break;
      case PropertyType::kUtf8StringPair:
        p.name = in.String(8);
        p.value = in.String(8);
        break;
    }
    props.Append(std::move(p));
  }
  return props;
}

std::string Topic(FuzzInput& in) {
  static constexpr const char* kTopics[] = {"a",      "a/b", "sensors/+/temp", "#",
                                            "$SYS/x", "",    "$share/g/a/#"};
  return in.Bool() ? kTopics[in.Below(7)] : in.String(24);
}

PublishAck MakeAck(FuzzInput& in, bool v5) {
  PublishAck a;
  a.packet_id = in.Bool() ? in.U16() : 1;
  if (v5) {
    a.reason_code = in.Bool() ? SmallCode(in) : 0;
    if (in.Bool()) a.properties = MakeProperties(in);
  }
  return a;
}

Packet MakePacket(FuzzInput& in, ProtocolVersion version) {
  const bool v5 = IsV5(version);
  switch (in.Below(15)) {
    case 0: {
      ConnectPacket c;
      c.version = version;
      c.client_id = in.String(30);
      c.clean_start = in.Bool();
      c.keep_alive = in.U16();
      if (in.Bool()) c.username = in.String(16);
      if (in.Bool()) c.password = in.String(16);
      if (in.Bool()) {
        Will w;
        w.topic = Topic(in);
        w.payload = in.String(32);
        w.qos = in.Below(4);
        w.retain = in.Bool();
        if (v5 && in.Bool()) w.properties = MakeProperties(in);
        c.will = std::move(w);
      }
      if (v5 && in.Bool()) c.properties = MakeProperties(in);
      return c;
    }
    case 1: {
      ConnackPacket c;
      c.session_present = in.Bool();
      c.reason_code = v5 ? SmallCode(in) : in.Below(7);
      if (v5 && in.Bool()) c.properties = MakeProperties(in);
      return c;
    }
    case 2: {
      PublishPacket p;
      p.topic = Topic(in);
      p.qos = in.Below(4);
      p.retain = in.Bool();
      p.dup = in.Bool();
      p.packet_id = p.qos > 0 ? static_cast<uint16_t>(in.Bool() ? in.U16() : 1) : 0;
      if (v5 && in.Bool()) p.properties = MakeProperties(in);
      p.payload = in.String(200);
      return p;
    }
    case 3:
      return PubackPacket{MakeAck(in, v5)};
    case 4:
      return PubrecPacket{MakeAck(in, v5)};
    case 5:
      return PubrelPacket{MakeAck(in, v5)};
    case 6:
      return PubcompPacket{MakeAck(in, v5)};
    case 7: {
      SubscribePacket s;
      s.packet_id = in.Bool() ? in.U16() : 1;
      const uint32_t n = in.Below(4);
      for (uint32_t i = 0; i < n; ++i) {
        Subscription sub;
        sub.filter = Topic(in);
        sub.qos = in.Below(4);
        if (v5 || in.Below(8) == 0) {
          sub.no_local = in.Bool();
          sub.retain_as_published = in.Bool();
          sub.retain_handling = in.Below(4);
        }
        s.subscriptions.push_back(std::move(sub));
      }
      if (v5 && in.Bool()) s.properties = MakeProperties(in);
      return s;
    }
    case 8: {
      SubackPacket s;
      s.packet_id = in.Bool() ? in.U16() : 1;
      const uint32_t n = in.Below(4);
      for (uint32_t i = 0; i < n; ++i) s.reason_codes.push_back(SmallCode(in));
      if (v5 && in.Bool()) s.properties = MakeProperties(in);
      return s;
    }
    case 9: {
      UnsubscribePacket u;
      u.packet_id = in.Bool() ? in.U16() : 1;
      const uint32_t n = in.Below(4);
      for (uint32_t i = 0; i < n; ++i) u.filters.push_back(Topic(in));
      if (v5 && in.Bool()) u.properties = MakeProperties(in);
      return u;
    }
    case 10: {
      UnsubackPacket u;
      u.packet_id = in.Bool() ? in.U16() : 1;
      if (v5) {
        const uint32_t n = in.Below(4);
        for (uint32_t i = 0; i < n; ++i) u.reason_codes.push_back(SmallCode(in));
        if (in.Bool()) u.properties = MakeProperties(in);
      }
      return u;
    }
    case 11:
      return PingreqPacket{};
    case 12:
      return PingrespPacket{};
    case 13: {
      DisconnectPacket d;
      if (v5) {
        d.reason_code = in.Bool() ? SmallCode(in) : 0;
        if (in.Bool()) d.properties = MakeProperties(in);
      }
      return d;
    }
    default: {
      AuthPacket a;
      a.reason_code = in.Bool() ? SmallCode(in) : 0;
      if (in.Bool()) a.properties = MakeProperties(in);
      return a;
    }
  }
}

std::optional<Packet> DecodeOne(const ByteBuffer& bytes, ProtocolVersion v, bool byte_at_a_time) {
  StreamDecoder decoder({v});
  absl::Span<const uint8_t> all = bytes.span();
  std::optional<Packet> result;
  for (size_t i = 0; i < all.size();) {
    const size_t n = byte_at_a_time ? 1 : all.size();
    absl::Span<const uint8_t> in = all.subspan(i, n);
    i += n;
    absl::StatusOr<std::optional<Packet>> p = decoder.Next(&in);
    if (!p.ok()) return std::nullopt;
    if (p->has_value()) {
      if (result.has_value() || !in.empty() || i != all.size()) std::abort();  // one packet only
      result = **p;
    }
  }
  return result;
}

}  // namespace
}  // namespace ouzel

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ouzel;  // NOLINT(google-build-using-namespace): fuzz entry point
  FuzzInput in(data, size);
  static constexpr ProtocolVersion kVersions[] = {ProtocolVersion::kV31, ProtocolVersion::kV311,
                                                  ProtocolVersion::kV5};
  const ProtocolVersion version = kVersions[in.Below(3)];
  const Packet packet = MakePacket(in, version);

  ByteBuffer out;
  out.Append(absl::string_view("prefix"));
  absl::Status encoded = EncodePacket(packet, version, &out);
  if (!encoded.ok()) {
    if (out.view() != "prefix") std::abort();  // a refused packet writes nothing
    if (EncodedPacketSize(packet, version).ok()) std::abort();
    return 0;
  }
  out.Consume(6);
  absl::StatusOr<size_t> predicted = EncodedPacketSize(packet, version);
  if (!predicted.ok() || *predicted != out.size()) std::abort();

  std::optional<Packet> whole = DecodeOne(out, version, false);
  if (!whole.has_value() || *whole != packet) std::abort();
  std::optional<Packet> bytewise = DecodeOne(out, version, true);
  if (!bytewise.has_value() || *bytewise != packet) std::abort();
  return 0;
}
