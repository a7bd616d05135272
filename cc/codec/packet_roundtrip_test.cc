// Round trips of randomized valid packets (fixed seeds), for every packet type at every protocol
// level: encode, check EncodedPacketSize, decode, compare; then re-encode the decoded packet and
// compare the bytes, so the encoder's output is canonical.
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cc/base/byte_buffer.h"
#include "cc/codec/decode.h"
#include "cc/codec/encode.h"
#include "cc/codec/packet_test_util.h"
#include "cc/codec/packets.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

constexpr int kPacketsPerType = 300;

class RoundTrip : public ::testing::TestWithParam<ProtocolVersion> {};

TEST_P(RoundTrip, RandomPacketsOfEveryType_DecodeToThemselves) {
  const ProtocolVersion version = GetParam();
  std::mt19937 rng(20240601u + static_cast<unsigned>(version));
  for (PacketType type : PacketTypesOf(version)) {
    SCOPED_TRACE(PacketTypeName(type));
    for (int i = 0; i < kPacketsPerType; ++i) {
      const Packet packet = RandomPacket(rng, type, version);
      SCOPED_TRACE(Describe(packet));
      ASSERT_EQ(TypeOf(packet), type);

      absl::StatusOr<std::vector<uint8_t>> bytes = EncodeToBytes(packet, version);
      ASSERT_TRUE(bytes.ok()) << bytes.status();
      absl::StatusOr<size_t> size = EncodedPacketSize(packet, version);
      ASSERT_TRUE(size.ok()) << size.status();
      ASSERT_EQ(*size, bytes->size());

      absl::StatusOr<Packet> decoded = DecodeWhole(*bytes, version);
      ASSERT_TRUE(decoded.ok()) << decoded.status() << "\n" << ToHex(*bytes);
      ASSERT_EQ(*decoded, packet) << ToHex(*bytes);

      absl::StatusOr<std::vector<uint8_t>> again = EncodeToBytes(*decoded, version);
      ASSERT_TRUE(again.ok()) << again.status();
      ASSERT_EQ(*again, *bytes);
    }
  }
}

// EncodePacket appends: a buffer already holding packets keeps them, and the new packet follows.
TEST_P(RoundTrip, EncodeAppendsAfterExistingBytes) {
  const ProtocolVersion version = GetParam();
  std::mt19937 rng(7u);
  ByteBuffer out;
  std::vector<Packet> packets;
  std::vector<size_t> sizes;
  for (PacketType type : PacketTypesOf(version)) {
    packets.push_back(RandomPacket(rng, type, version));
    const size_t before = out.size();
    ASSERT_TRUE(EncodePacket(packets.back(), version, &out).ok());
    sizes.push_back(out.size() - before);
    EXPECT_EQ(*EncodedPacketSize(packets.back(), version), sizes.back());
  }
  size_t offset = 0;
  for (size_t i = 0; i < packets.size(); ++i) {
    absl::StatusOr<Packet> decoded = DecodeWhole(out.span().subspan(offset, sizes[i]), version);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, packets[i]);
    offset += sizes[i];
  }
  EXPECT_EQ(offset, out.size());
}

// A CONNECT is decoded by the version it names, whatever the connection's version: a server reads
// the first packet before it knows which protocol the client speaks.
TEST(RoundTripConnect, DecodesByItsOwnProtocolLevel) {
  std::mt19937 rng(11u);
  for (ProtocolVersion v : {ProtocolVersion::kV31, ProtocolVersion::kV311, ProtocolVersion::kV5}) {
    const Packet packet = RandomPacket(rng, PacketType::kConnect, v);
    absl::StatusOr<std::vector<uint8_t>> bytes = EncodeToBytes(packet, v);
    ASSERT_TRUE(bytes.ok());
    for (ProtocolVersion connection :
         {ProtocolVersion::kV31, ProtocolVersion::kV311, ProtocolVersion::kV5}) {
      absl::StatusOr<Packet> decoded = DecodeWhole(*bytes, connection);
      ASSERT_TRUE(decoded.ok()) << decoded.status();
      EXPECT_EQ(*decoded, packet);
      EXPECT_EQ(std::get<ConnectPacket>(*decoded).version, v);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllVersions, RoundTrip,
                         ::testing::Values(ProtocolVersion::kV31, ProtocolVersion::kV311,
                                           ProtocolVersion::kV5),
                         [](const ::testing::TestParamInfo<ProtocolVersion>& info) {
                           return std::string(VersionName(info.param));
                         });

}  // namespace
}  // namespace ouzel
