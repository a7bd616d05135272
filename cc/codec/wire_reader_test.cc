#include "cc/codec/wire_reader.h"

#include <string>
#include <vector>

#include "cc/codec/codec_error.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using std::string_literals::operator""s;

absl::Span<const uint8_t> Bytes(const std::string& s) {
  return absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

TEST(WireReader, ReadsIntegersBigEndian) {
  std::string in = "\x01\x02\x03\x04\x05\x06\x07"s;
  WireReader r(Bytes(in), 0, ProtocolVersion::kV5);
  EXPECT_EQ(*r.ReadU8(), 0x01);
  EXPECT_EQ(*r.ReadU16(), 0x0203);
  EXPECT_EQ(*r.ReadU32(), 0x04050607u);
  EXPECT_TRUE(r.empty());
}

TEST(WireReader, TruncatedReadIsMalformedAtAbsoluteOffset) {
  std::string in = "\x01"s;
  WireReader r(Bytes(in), 2, ProtocolVersion::kV311);
  absl::StatusOr<uint16_t> v = r.ReadU16();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DisconnectReasonOf(v.status()), kReasonMalformedPacket);
  EXPECT_NE(v.status().message().find("at offset 2"), absl::string_view::npos);
}

TEST(WireReader, StringLengthPastEndIsMalformed) {
  std::string in =
      "\x00\x05"
      "abc"s;
  WireReader r(Bytes(in), 0, ProtocolVersion::kV5);
  absl::StatusOr<absl::string_view> s = r.ReadUtf8String();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(DisconnectReasonOf(s.status()), kReasonMalformedPacket);
}

TEST(WireReader, InvalidUtf8ReportsOffsetOfBadByte) {
  std::string in =
      "\x00\x04"
      "ab\0c"s;
  WireReader r(Bytes(in), 10, ProtocolVersion::kV5);
  absl::StatusOr<absl::string_view> s = r.ReadUtf8String();
  ASSERT_FALSE(s.ok());
  // 10 (base) + 2 (length) + 2 (position of the NUL in the text)
  EXPECT_NE(s.status().message().find("at offset 14"), absl::string_view::npos) << s.status();
  EXPECT_NE(s.status().message().find("MQTT-1.5.4-2"), absl::string_view::npos);
}

TEST(WireReader, BinaryDataMayContainAnyByte) {
  std::string in = "\x00\x03\x00\xFF\x80"s;
  WireReader r(Bytes(in), 0, ProtocolVersion::kV5);
  EXPECT_EQ(*r.ReadBinary(), "\x00\xFF\x80"s);
}

TEST(WireReader, NonMinimalVarIntRejectedOnlyInV5) {
  std::string in = "\x80\x00"s;
  WireReader v5(Bytes(in), 0, ProtocolVersion::kV5);
  EXPECT_EQ(DisconnectReasonOf(v5.ReadVarInt().status()), kReasonMalformedPacket);
  WireReader v311(Bytes(in), 0, ProtocolVersion::kV311);
  EXPECT_EQ(*v311.ReadVarInt(), 0u);
}

TEST(WireReader, SubReaderCoversExactlyItsBytes) {
  std::string in = "\x01\x02\x03"s;
  WireReader r(Bytes(in), 0, ProtocolVersion::kV5);
  absl::StatusOr<WireReader> sub = r.Sub(2);
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub->offset(), 0u);
  EXPECT_EQ(*sub->ReadU16(), 0x0102);
  EXPECT_FALSE(sub->ReadU8().ok());
  EXPECT_EQ(*r.ReadU8(), 0x03);
  EXPECT_FALSE(r.Sub(1).ok());
}

}  // namespace
}  // namespace ouzel
