// Record framing and payloads: round trips of every record type, the CRC-32C check value, and
// the reader's verdict on torn, damaged and foreign input.
#include "cc/persistence/record_codec.h"

#include <random>
#include <string>
#include <vector>

#include "cc/codec/packet_test_util.h"
#include "cc/persistence/crc32c.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using Outcome = RecordReader::Outcome;

TEST(Crc32cTest, MatchesTheStandardCheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(Crc32c(reinterpret_cast<const uint8_t*>(s.data()), s.size()), 0xE3069283u);
  // RFC 3720 B.4: 32 bytes of zeros.
  std::vector<uint8_t> zeros(32, 0);
  EXPECT_EQ(Crc32c(zeros), 0x8A9136AAu);
}

TEST(Crc32cTest, ExtendEqualsWholeAtEverySplit) {
  std::vector<uint8_t> data(100);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + 3);
  const uint32_t whole = Crc32c(data);
  for (size_t split = 0; split <= data.size(); ++split) {
    EXPECT_EQ(Crc32cExtend(Crc32c(data.data(), split), data.data() + split, data.size() - split),
              whole)
        << split;
  }
}

PublishPacket Message(uint8_t qos, uint16_t id) {
  PublishPacket p;
  p.topic = "a/b";
  p.payload = std::string("x\0y", 3);
  p.qos = qos;
  p.packet_id = id;
  p.retain = true;
  p.dup = true;
  p.properties.SetInt(PropertyId::kMessageExpiryInterval, 60);
  p.properties.AddUserProperty("k", "v");
  p.properties.SetString(PropertyId::kCorrelationData, std::string("\x00\xff", 2));
  return p;
}

std::vector<Record> EveryKind() {
  std::vector<Record> all;
  all.push_back(HeaderRecord{kLogFormatVersion, std::string("client\0@server", 14)});
  for (auto stage : {StoredOutgoing::Stage::kQueued, StoredOutgoing::Stage::kPublishSent,
                     StoredOutgoing::Stage::kPubrelSent}) {
    StoredOutgoing m;
    m.token = 0x0102030405060708ull;
    m.stage = stage;
    m.publish = Message(2, 65535);
    all.push_back(m);
  }
  StoredOutgoing q0;
  q0.token = 1;
  q0.publish.topic = "t";
  all.push_back(q0);
  all.push_back(OutgoingStageRecord{7, StoredOutgoing::Stage::kPubrelSent, 9, true});
  all.push_back(RemoveOutgoingRecord{~0ull});
  all.push_back(PutIncomingRecord{5, std::nullopt});
  all.push_back(PutIncomingRecord{6, Message(2, 6)});
  all.push_back(RemoveIncomingRecord{65535});
  all.push_back(IdentityRecord{"assigned-by-broker", 0xFFFFFFFFu});
  all.push_back(IdentityRecord{"", 0});
  all.push_back(ClearRecord{});
  all.push_back(NextTokenRecord{42});
  return all;
}

bool SameRecord(const Record& a, const Record& b) {
  if (a.index() != b.index()) return false;
  ByteBuffer x, y;
  return AppendRecord(a, &x).ok() && AppendRecord(b, &y).ok() && x.view() == y.view();
}

TEST(RecordCodecTest, EveryRecordKindRoundTrips) {
  ByteBuffer log;
  const std::vector<Record> all = EveryKind();
  for (const Record& r : all) ASSERT_TRUE(AppendRecord(r, &log).ok());
  RecordReader reader(log.span());
  for (const Record& want : all) {
    RecordReader::Result r = reader.Next();
    ASSERT_EQ(r.outcome, Outcome::kRecord) << r.reason;
    absl::StatusOr<Record> got = DecodeRecord(r.type, r.payload);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_TRUE(SameRecord(*got, want)) << RecordTypeName(r.type);
  }
  EXPECT_EQ(reader.Next().outcome, Outcome::kEnd);
  EXPECT_EQ(reader.offset(), log.size());
}

TEST(RecordCodecTest, PutOutgoingKeepsEveryPublishField) {
  StoredOutgoing m;
  m.token = 99;
  m.stage = StoredOutgoing::Stage::kPublishSent;
  m.publish = Message(1, 300);
  ByteBuffer b;
  absl::StatusOr<size_t> n = AppendPutOutgoingRecord(m, &b);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, b.size());
  EXPECT_EQ(PutOutgoingRecordSize(m), b.size());
  RecordReader reader(b.span());
  RecordReader::Result r = reader.Next();
  ASSERT_EQ(r.outcome, Outcome::kRecord);
  absl::StatusOr<Record> got = DecodeRecord(r.type, r.payload);
  ASSERT_TRUE(got.ok()) << got.status();
  const auto& back = std::get<StoredOutgoing>(*got);
  EXPECT_EQ(back.token, 99u);
  EXPECT_EQ(back.stage, StoredOutgoing::Stage::kPublishSent);
  EXPECT_EQ(back.publish, m.publish);
}

TEST(RecordCodecTest, RandomPublishesRoundTrip) {
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    Packet p = RandomPacket(rng, PacketType::kPublish, ProtocolVersion::kV5);
    StoredOutgoing m;
    m.token = static_cast<uint64_t>(i) + 1;
    m.publish = std::get<PublishPacket>(p);
    ByteBuffer b;
    ASSERT_TRUE(AppendPutOutgoingRecord(m, &b).ok());
    RecordReader reader(b.span());
    RecordReader::Result r = reader.Next();
    ASSERT_EQ(r.outcome, Outcome::kRecord);
    absl::StatusOr<Record> got = DecodeRecord(r.type, r.payload);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(std::get<StoredOutgoing>(*got).publish, m.publish) << Describe(p);
  }
}

TEST(RecordCodecTest, InvalidMessagesAreRefusedAndAppendNothing) {
  ByteBuffer b;
  AppendClearRecord(&b);
  const size_t before = b.size();
  StoredOutgoing m;
  m.token = 1;
  m.publish.topic = "t";
  m.publish.qos = 3;
  EXPECT_EQ(AppendPutOutgoingRecord(m, &b).status().code(), absl::StatusCode::kInvalidArgument);
  m.publish.qos = 1;
  m.publish.topic.assign(70000, 'a');
  EXPECT_EQ(AppendPutOutgoingRecord(m, &b).status().code(), absl::StatusCode::kInvalidArgument);
  m.publish.topic = "t";
  m.publish.properties.SetInt(PropertyId::kReceiveMaximum, 5);  // not a PUBLISH property
  EXPECT_EQ(AppendPutOutgoingRecord(m, &b).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(b.size(), before);
}

TEST(RecordReaderTest, EveryTruncationIsTornNeverARecord) {
  StoredOutgoing m;
  m.token = 3;
  m.publish = Message(1, 4);
  ByteBuffer b;
  ASSERT_TRUE(AppendPutOutgoingRecord(m, &b).ok());
  for (size_t n = 1; n < b.size(); ++n) {
    RecordReader reader(b.span().subspan(0, n));
    RecordReader::Result r = reader.Next();
    EXPECT_EQ(r.outcome, Outcome::kTorn) << "length " << n;
    EXPECT_FALSE(r.reason.empty());
    EXPECT_EQ(reader.offset(), 0u);
  }
}

TEST(RecordReaderTest, EverySingleBitFlipIsDetected) {
  ByteBuffer b;
  AppendIdentityRecord({"client-1", 3600}, &b);
  for (size_t byte = 0; byte < b.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<uint8_t> copy(b.data(), b.data() + b.size());
      copy[byte] ^= static_cast<uint8_t>(1u << bit);
      RecordReader reader(copy);
      RecordReader::Result r = reader.Next();
      EXPECT_NE(r.outcome, Outcome::kRecord) << "byte " << byte << " bit " << bit;
      EXPECT_FALSE(r.reason.empty());
    }
  }
}

TEST(RecordReaderTest, ZeroFilledTailIsReportedAsSuch) {
  ByteBuffer b;
  AppendClearRecord(&b);
  std::vector<uint8_t> data(b.data(), b.data() + b.size());
  data.resize(data.size() + 4096, 0);
  RecordReader reader(data);
  EXPECT_EQ(reader.Next().outcome, Outcome::kRecord);
  RecordReader::Result r = reader.Next();
  EXPECT_EQ(r.outcome, Outcome::kTorn);
  EXPECT_NE(r.reason.find("zero bytes"), std::string::npos) << r.reason;
}

TEST(RecordReaderTest, HugeLengthIsCorruptNotAnAllocation) {
  std::vector<uint8_t> data = {1, 2, 3, 4, 0xff, 0xff, 0xff, 0xff, 2, 0};
  RecordReader reader(data);
  RecordReader::Result r = reader.Next();
  EXPECT_EQ(r.outcome, Outcome::kCorrupt);
  EXPECT_NE(r.reason.find("exceeds"), std::string::npos) << r.reason;
}

TEST(RecordCodecTest, ForeignOrDamagedPayloadsAreDataLoss) {
  // A header whose magic is wrong.
  const std::vector<uint8_t> not_magic = {'N', 'O', 'T', 'O', 'U', 'Z', 'E', 'L', 1, 0};
  EXPECT_EQ(DecodeRecord(RecordType::kHeader, not_magic).status().code(),
            absl::StatusCode::kDataLoss);
  // A stage byte out of range, a short remove, trailing bytes.
  const std::vector<uint8_t> bad_stage = {1, 0, 0, 0, 0, 0, 0, 0, 9, 1, 0, 0};
  EXPECT_EQ(DecodeRecord(RecordType::kOutgoingStage, bad_stage).status().code(),
            absl::StatusCode::kDataLoss);
  const std::vector<uint8_t> short_remove = {1, 2, 3};
  EXPECT_EQ(DecodeRecord(RecordType::kRemoveOutgoing, short_remove).status().code(),
            absl::StatusCode::kDataLoss);
  const std::vector<uint8_t> trailing = {1, 0, 7};
  EXPECT_EQ(DecodeRecord(RecordType::kRemoveIncoming, trailing).status().code(),
            absl::StatusCode::kDataLoss);
  const std::vector<uint8_t> bad_flags = {1, 0, 1, 0x13, 1, 0, 0, 0, 0};  // QoS 3
  EXPECT_EQ(DecodeRecord(RecordType::kPutIncoming, bad_flags).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace ouzel
