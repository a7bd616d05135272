#include "cc/codec/stream_decoder.h"

#include <string>
#include <vector>

#include "cc/codec/codec_error.h"
#include "cc/codec/encode.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using std::string_literals::operator""s;

std::vector<uint8_t> Encode(const Packet& p, ProtocolVersion v) {
  ByteBuffer b;
  absl::Status s = EncodePacket(p, v, &b);
  EXPECT_TRUE(s.ok()) << s;
  return std::vector<uint8_t>(b.data(), b.data() + b.size());
}

absl::Span<const uint8_t> Span(const std::string& s) {
  return absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

PublishPacket SamplePublish(size_t payload_size) {
  PublishPacket p;
  p.topic = "a/b";
  p.qos = 1;
  p.packet_id = 42;
  p.payload = std::string(payload_size, 'x');
  return p;
}

// Feeds `bytes` in chunks of `chunk` bytes and collects every packet.
std::vector<Packet> DecodeInChunks(StreamDecoder& d, const std::vector<uint8_t>& bytes,
                                   size_t chunk) {
  std::vector<Packet> out;
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    absl::Span<const uint8_t> in =
        absl::MakeConstSpan(bytes).subspan(i, std::min(chunk, bytes.size() - i));
    while (!in.empty()) {
      absl::StatusOr<std::optional<Packet>> p = d.Next(&in);
      EXPECT_TRUE(p.ok()) << p.status();
      if (!p.ok()) return out;
      if (p->has_value()) out.push_back(**p);
    }
  }
  return out;
}

TEST(StreamDecoder, AnyChunkingYieldsTheSamePackets) {
  std::vector<uint8_t> stream;
  std::vector<Packet> sent = {SamplePublish(0), PingrespPacket{}, SamplePublish(300),
                              PubackPacket{{7, 0, {}}}, SamplePublish(20'000)};
  for (const Packet& p : sent) {
    std::vector<uint8_t> b = Encode(p, ProtocolVersion::kV311);
    stream.insert(stream.end(), b.begin(), b.end());
  }
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{128}, stream.size()}) {
    StreamDecoder d;
    std::vector<Packet> got = DecodeInChunks(d, stream, chunk);
    EXPECT_EQ(got, sent) << "chunk size " << chunk;
    EXPECT_FALSE(d.mid_packet());
  }
}

TEST(StreamDecoder, StopsAtTheEndOfEachPacket_NeverReadsPast) {
  std::vector<uint8_t> a = Encode(SamplePublish(5), ProtocolVersion::kV5);
  std::vector<uint8_t> stream = a;
  stream.push_back(0xD0);  // the first byte of a PINGRESP
  StreamDecoder d({ProtocolVersion::kV5});
  absl::Span<const uint8_t> in = absl::MakeConstSpan(stream);
  absl::StatusOr<std::optional<Packet>> p = d.Next(&in);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(p->has_value());
  EXPECT_EQ(in.size(), 1u);  // the PINGRESP byte is still the caller's
  p = d.Next(&in);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->has_value());
  EXPECT_TRUE(d.mid_packet());
  std::string len = "\x00"s;
  absl::Span<const uint8_t> rest = Span(len);
  p = d.Next(&rest);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(p->has_value());
  EXPECT_TRUE(std::holds_alternative<PingrespPacket>(**p));
}

TEST(StreamDecoder, OversizedPacketRefusedBeforeItsBodyArrives) {
  StreamDecoder d({ProtocolVersion::kV5, /*maximum_packet_size=*/1000});
  std::string header = "\x30\xE8\x07"s;  // PUBLISH, Remaining Length 1000: total 1003 bytes
  absl::Span<const uint8_t> in = Span(header);
  absl::StatusOr<std::optional<Packet>> p = d.Next(&in);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(DisconnectReasonOf(p.status()), kReasonPacketTooLarge);
  EXPECT_EQ(d.buffer_capacity(), 0u);
}

TEST(StreamDecoder, PacketAtExactlyTheMaximumIsAccepted) {
  std::vector<uint8_t> b = Encode(SamplePublish(100), ProtocolVersion::kV311);
  StreamDecoder d({ProtocolVersion::kV311, static_cast<uint32_t>(b.size())});
  EXPECT_EQ(DecodeInChunks(d, b, 1).size(), 1u);
}

TEST(StreamDecoder, AnnouncedLengthIsNotAllocatedUpFront) {
  StreamDecoder d;
  // PUBLISH announcing 200,000,000 bytes, then only 10 of them.
  std::string start = "\x30\x80\xD0\xAF\x5F"s + std::string(10, 'x');
  absl::Span<const uint8_t> in = Span(start);
  absl::StatusOr<std::optional<Packet>> p = d.Next(&in);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_FALSE(p->has_value());
  EXPECT_TRUE(in.empty());
  EXPECT_LT(d.buffer_capacity(), 1024u);
}

TEST(StreamDecoder, FiveByteRemainingLengthIsMalformed) {
  StreamDecoder d;
  std::string header = "\x30\xFF\xFF\xFF\xFF"s;
  absl::Span<const uint8_t> in = Span(header);
  absl::StatusOr<std::optional<Packet>> p = d.Next(&in);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(DisconnectReasonOf(p.status()), kReasonMalformedPacket);
  EXPECT_NE(p.status().message().find("at offset 1"), absl::string_view::npos) << p.status();
}

TEST(StreamDecoder, NonMinimalRemainingLengthIsMalformedInV5Only_MQTT_1_5_5_1) {
  std::string ping = "\xD0\x80\x00"s;  // PINGRESP with Remaining Length 0 in two bytes
  StreamDecoder v5({ProtocolVersion::kV5});
  absl::Span<const uint8_t> in = Span(ping);
  EXPECT_EQ(DisconnectReasonOf(v5.Next(&in).status()), kReasonMalformedPacket);
  StreamDecoder v311({ProtocolVersion::kV311});
  in = Span(ping);
  absl::StatusOr<std::optional<Packet>> p = v311.Next(&in);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->has_value());
}

TEST(StreamDecoder, ReservedPacketTypeZeroIsMalformedImmediately) {
  StreamDecoder d;
  std::string b = "\x00"s;
  absl::Span<const uint8_t> in = Span(b);
  absl::StatusOr<std::optional<Packet>> p = d.Next(&in);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(DisconnectReasonOf(p.status()), kReasonMalformedPacket);
}

TEST(StreamDecoder, AuthPacketTypeIsReservedBeforeV5) {
  std::string b = "\xF0\x00"s;
  StreamDecoder v311({ProtocolVersion::kV311});
  absl::Span<const uint8_t> in = Span(b);
  EXPECT_EQ(DisconnectReasonOf(v311.Next(&in).status()), kReasonMalformedPacket);
  StreamDecoder v5({ProtocolVersion::kV5});
  in = Span(b);
  absl::StatusOr<std::optional<Packet>> p = v5.Next(&in);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(std::holds_alternative<AuthPacket>(**p));
}

TEST(StreamDecoder, ErrorIsStickyUntilReset) {
  StreamDecoder d;
  std::string bad = "\x00"s;
  absl::Span<const uint8_t> in = Span(bad);
  absl::Status first = d.Next(&in).status();
  ASSERT_FALSE(first.ok());
  std::string good = "\xD0\x00"s;
  in = Span(good);
  EXPECT_EQ(d.Next(&in).status(), first);
  d.Reset();
  in = Span(good);
  absl::StatusOr<std::optional<Packet>> p = d.Next(&in);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->has_value());
}

TEST(StreamDecoder, BodyErrorsCarryOffsetsFromThePacketStart) {
  // PUBACK (3.1.1) with packet id 0: the id is at offset 2.
  std::string b = "\x40\x02\x00\x00"s;
  StreamDecoder d;
  absl::Span<const uint8_t> in = Span(b);
  absl::StatusOr<std::optional<Packet>> p = d.Next(&in);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("offset 2"), absl::string_view::npos) << p.status();
}

TEST(StreamDecoder, NextFrameHandsOutRawPackets) {
  std::string b = "\xD0\x00\x30\x05\x00\x01tab"s;
  StreamDecoder d;
  absl::Span<const uint8_t> in = Span(b);
  absl::StatusOr<std::optional<StreamDecoder::Frame>> f = d.NextFrame(&in);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->first_byte, 0xD0);
  EXPECT_EQ((*f)->body.size(), 0u);
  f = d.NextFrame(&in);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->first_byte, 0x30);
  EXPECT_EQ((*f)->header_size, 2u);
  EXPECT_EQ((*f)->body.size(), 5u);
}

}  // namespace
}  // namespace ouzel
