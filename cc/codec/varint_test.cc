#include "cc/codec/varint.h"

#include <vector>

#include "gtest/gtest.h"

namespace ouzel {
namespace {

std::vector<uint8_t> Encode(uint32_t v) {
  ByteBuffer b;
  AppendVarInt(v, &b);
  return std::vector<uint8_t>(b.data(), b.data() + b.size());
}

// The boundary values of MQTT 5.0 §1.5.5 table 1-1 (3.1.1 §2.2.3 table 2.4).
TEST(VarInt, EncodesSpecTableBoundaries) {
  EXPECT_EQ(Encode(0), (std::vector<uint8_t>{0x00}));
  EXPECT_EQ(Encode(127), (std::vector<uint8_t>{0x7F}));
  EXPECT_EQ(Encode(128), (std::vector<uint8_t>{0x80, 0x01}));
  EXPECT_EQ(Encode(16'383), (std::vector<uint8_t>{0xFF, 0x7F}));
  EXPECT_EQ(Encode(16'384), (std::vector<uint8_t>{0x80, 0x80, 0x01}));
  EXPECT_EQ(Encode(2'097'151), (std::vector<uint8_t>{0xFF, 0xFF, 0x7F}));
  EXPECT_EQ(Encode(2'097'152), (std::vector<uint8_t>{0x80, 0x80, 0x80, 0x01}));
  EXPECT_EQ(Encode(kMaxVarInt), (std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0x7F}));
  for (uint32_t v : {0u, 127u, 128u, 16'383u, 16'384u, 2'097'151u, 2'097'152u, kMaxVarInt}) {
    EXPECT_EQ(VarIntSize(v), Encode(v).size()) << v;
  }
}

TEST(VarInt, DecoderRoundTripsByteAtATime) {
  for (uint32_t v : {0u, 1u, 127u, 128u, 300u, 16'384u, 2'097'152u, kMaxVarInt}) {
    VarIntDecoder d;
    std::vector<uint8_t> bytes = Encode(v);
    for (size_t i = 0; i < bytes.size(); ++i) {
      VarIntDecoder::State s = d.Feed(bytes[i]);
      EXPECT_EQ(
          s, i + 1 == bytes.size() ? VarIntDecoder::State::kDone : VarIntDecoder::State::kNeedMore);
    }
    EXPECT_EQ(d.value(), v);
    EXPECT_EQ(d.bytes(), bytes.size());
  }
}

TEST(VarInt, FifthByteIsTooLong) {
  VarIntDecoder d;
  EXPECT_EQ(d.Feed(0xFF), VarIntDecoder::State::kNeedMore);
  EXPECT_EQ(d.Feed(0xFF), VarIntDecoder::State::kNeedMore);
  EXPECT_EQ(d.Feed(0xFF), VarIntDecoder::State::kNeedMore);
  EXPECT_EQ(d.Feed(0xFF), VarIntDecoder::State::kTooLong);
}

TEST(VarInt, NonMinimalEncodingIsFlagged_MQTT_1_5_5_1) {
  VarIntDecoder d;
  EXPECT_EQ(d.Feed(0x80), VarIntDecoder::State::kNeedMore);
  EXPECT_EQ(d.Feed(0x00), VarIntDecoder::State::kNotMinimal);  // 0 in two bytes
  EXPECT_EQ(d.value(), 0u);
}

}  // namespace
}  // namespace ouzel
