#include "cc/codec/packets.h"

#include <type_traits>
#include <variant>

namespace ouzel {
namespace {

// TypeOf relies on the variant listing the packets in packet type order.
template <size_t I, typename T>
constexpr bool kAt = std::is_same_v<std::variant_alternative_t<I, Packet>, T>;
static_assert(std::variant_size_v<Packet> == 15);
static_assert(kAt<0, ConnectPacket> && kAt<1, ConnackPacket> && kAt<2, PublishPacket> &&
              kAt<3, PubackPacket> && kAt<4, PubrecPacket> && kAt<5, PubrelPacket> &&
              kAt<6, PubcompPacket> && kAt<7, SubscribePacket> && kAt<8, SubackPacket> &&
              kAt<9, UnsubscribePacket> && kAt<10, UnsubackPacket> && kAt<11, PingreqPacket> &&
              kAt<12, PingrespPacket> && kAt<13, DisconnectPacket> && kAt<14, AuthPacket>);

}  // namespace

const char* PacketTypeName(PacketType type) {
  switch (type) {
    case PacketType::kConnect:
      return "CONNECT";
    case PacketType::kConnack:
      return "CONNACK";
    case PacketType::kPublish:
      return "PUBLISH";
    case PacketType::kPuback:
      return "PUBACK";
    case PacketType::kPubrec:
      return "PUBREC";
    case PacketType::kPubrel:
      return "PUBREL";
    case PacketType::kPubcomp:
      return "PUBCOMP";
    case PacketType::kSubscribe:
      return "SUBSCRIBE";
    case PacketType::kSuback:
      return "SUBACK";
    case PacketType::kUnsubscribe:
      return "UNSUBSCRIBE";
    case PacketType::kUnsuback:
      return "UNSUBACK";
    case PacketType::kPingreq:
      return "PINGREQ";
    case PacketType::kPingresp:
      return "PINGRESP";
    case PacketType::kDisconnect:
      return "DISCONNECT";
    case PacketType::kAuth:
      return "AUTH";
  }
  return "UNKNOWN";
}

PacketType TypeOf(const Packet& packet) { return static_cast<PacketType>(packet.index() + 1); }

}  // namespace ouzel
