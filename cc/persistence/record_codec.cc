#include "cc/persistence/record_codec.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"
#include "cc/codec/properties.h"
#include "cc/codec/wire_reader.h"
#include "cc/persistence/crc32c.h"

namespace ouzel {
namespace {

// Fixed-width little-endian fields: the log is read back on the machine that wrote it, but a
// copied file must still mean the same thing elsewhere.
void PutU16(uint16_t v, ByteBuffer* out) {
  uint8_t* p = out->AppendUninitialized(2);
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void PutU32At(uint32_t v, uint8_t* p) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void PutU32(uint32_t v, ByteBuffer* out) { PutU32At(v, out->AppendUninitialized(4)); }
void PutU64(uint64_t v, ByteBuffer* out) {
  uint8_t* p = out->AppendUninitialized(8);
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t GetU32At(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

// Reads little-endian fields from a payload; every shortfall is a DataLoss naming the field.
class PayloadReader {
 public:
  PayloadReader(RecordType type, absl::Span<const uint8_t> data) : type_(type), data_(data) {}

  absl::StatusOr<uint64_t> Uint(size_t bytes, const char* field) {
    OUZEL_RETURN_IF_ERROR(Need(bytes, field));
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += bytes;
    return v;
  }
  absl::StatusOr<absl::string_view> Bytes(size_t n, const char* field) {
    OUZEL_RETURN_IF_ERROR(Need(n, field));
    absl::string_view s(reinterpret_cast<const char*>(data_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  absl::string_view Rest() {
    absl::string_view s(reinterpret_cast<const char*>(data_.data() + pos_), data_.size() - pos_);
    pos_ = data_.size();
    return s;
  }
  absl::Span<const uint8_t> RestSpan() const { return data_.subspan(pos_); }
  void Skip(size_t n) { pos_ += n; }
  absl::Status Error(absl::string_view what) const {
    return absl::DataLossError(
        absl::StrCat(RecordTypeName(type_), " record: ", what, " (payload byte ", pos_, ")"));
  }
  absl::Status End() const {
    if (pos_ == data_.size()) return absl::OkStatus();
    return Error(absl::StrCat(data_.size() - pos_, " unexpected trailing bytes"));
  }

 private:
  absl::Status Need(size_t n, const char* field) const {
    if (data_.size() - pos_ >= n) return absl::OkStatus();
    return Error(absl::StrCat("truncated ", field));
  }

  RecordType type_;
  absl::Span<const uint8_t> data_;
  size_t pos_ = 0;
};

// Frames whatever `fill` appends.
template <typename Fill>
size_t Framed(RecordType type, ByteBuffer* out, Fill&& fill) {
  const size_t start = out->size();
  uint8_t* frame = out->AppendUninitialized(kRecordFrameSize);
  frame[8] = static_cast<uint8_t>(type);
  fill();
  const size_t total = out->size() - start;
  uint8_t* p = out->data() + start;  // `frame` may have moved
  PutU32At(static_cast<uint32_t>(total - kRecordFrameSize), p + 4);
  PutU32At(Crc32c(p + 4, total - 4), p);
  return total;
}

uint8_t StageByte(StoredOutgoing::Stage s) {
  switch (s) {
    case StoredOutgoing::Stage::kQueued:
      return 0;
    case StoredOutgoing::Stage::kPublishSent:
      return 1;
    case StoredOutgoing::Stage::kPubrelSent:
      return 2;
  }
  return 0;
}

absl::StatusOr<StoredOutgoing::Stage> StageFromByte(uint8_t b) {
  switch (b) {
    case 0:
      return StoredOutgoing::Stage::kQueued;
    case 1:
      return StoredOutgoing::Stage::kPublishSent;
    case 2:
      return StoredOutgoing::Stage::kPubrelSent;
    default:
      return absl::DataLossError(absl::StrCat("unknown outgoing stage ", b));
  }
}

// A message: flags:u8 (QoS bits 0-1, retain bit 2, DUP bit 3) | packet id:u16 | topic length:u16 |
// topic | properties (MQTT 5 form: Variable Byte Integer length, then the properties) | payload
// (the rest of the record).
constexpr size_t kMessageFixedSize = 5;

absl::Status CheckMessage(const PublishPacket& p, size_t extra) {
  if (p.qos > 2)
    return absl::InvalidArgumentError(absl::StrCat("QoS ", p.qos, " is not 0, 1 or 2"));
  if (p.topic.size() > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("topic of ", p.topic.size(), " bytes exceeds 65,535"));
  }
  if (!p.properties.empty())
    OUZEL_RETURN_IF_ERROR(p.properties.Validate(PropertyContext::kPublish));
  const size_t size =
      extra + kMessageFixedSize + p.topic.size() + p.properties.EncodedSize() + p.payload.size();
  if (size > kMaxRecordPayload) {
    return absl::InvalidArgumentError(absl::StrCat("a message of ", size,
                                                   " bytes exceeds the largest record (",
                                                   kMaxRecordPayload, " bytes)"));
  }
  return absl::OkStatus();
}

size_t MessageSize(const PublishPacket& p) {
  return kMessageFixedSize + p.topic.size() + p.properties.EncodedSize() + p.payload.size();
}

void PutMessage(const PublishPacket& p, ByteBuffer* out) {
  out->AppendU8(static_cast<uint8_t>((p.qos & 3u) | (p.retain ? 4u : 0u) | (p.dup ? 8u : 0u)));
  PutU16(p.packet_id, out);
  PutU16(static_cast<uint16_t>(p.topic.size()), out);
  out->Append(p.topic);
  p.properties.EncodeTo(out);
  out->Append(p.payload);
}

absl::StatusOr<PublishPacket> GetMessage(PayloadReader& r) {
  PublishPacket p;
  OUZEL_ASSIGN_OR_RETURN(uint64_t flags, r.Uint(1, "message flags"));
  if ((flags & ~0xFull) != 0 || (flags & 3u) == 3u) {
    return r.Error(absl::StrCat("bad message flags 0x", absl::Hex(flags)));
  }
  p.qos = static_cast<uint8_t>(flags & 3u);
  p.retain = (flags & 4u) != 0;
  p.dup = (flags & 8u) != 0;
  OUZEL_ASSIGN_OR_RETURN(uint64_t id, r.Uint(2, "packet id"));
  p.packet_id = static_cast<uint16_t>(id);
  OUZEL_ASSIGN_OR_RETURN(uint64_t topic_size, r.Uint(2, "topic length"));
  OUZEL_ASSIGN_OR_RETURN(absl::string_view topic, r.Bytes(topic_size, "topic"));
  p.topic.assign(topic.data(), topic.size());
  WireReader w(r.RestSpan(), 0, ProtocolVersion::kV5);
  absl::StatusOr<Properties> props = Properties::Decode(w, PropertyContext::kPublish);
  if (!props.ok()) return r.Error(absl::StrCat("bad properties: ", props.status().message()));
  p.properties = *std::move(props);
  r.Skip(w.offset());
  absl::string_view payload = r.Rest();
  p.payload.assign(payload.data(), payload.size());
  return p;
}

}  // namespace

const char* RecordTypeName(RecordType type) {
  switch (type) {
    case RecordType::kHeader:
      return "header";
    case RecordType::kPutOutgoing:
      return "put-outgoing";
    case RecordType::kOutgoingStage:
      return "outgoing-stage";
    case RecordType::kRemoveOutgoing:
      return "remove-outgoing";
    case RecordType::kPutIncoming:
      return "put-incoming";
    case RecordType::kRemoveIncoming:
      return "remove-incoming";
    case RecordType::kIdentity:
      return "identity";
    case RecordType::kClear:
      return "clear";
    case RecordType::kNextToken:
      return "next-token";
  }
  return "unknown";
}

size_t AppendHeaderRecord(const HeaderRecord& r, ByteBuffer* out) {
  return Framed(RecordType::kHeader, out, [&] {
    out->Append(kLogMagic);
    PutU16(r.format_version, out);
    out->Append(r.session_key);
  });
}

absl::StatusOr<size_t> AppendPutOutgoingRecord(const StoredOutgoing& m, ByteBuffer* out) {
  OUZEL_RETURN_IF_ERROR(CheckMessage(m.publish, 9));
  out->Reserve(kRecordFrameSize + 9 + MessageSize(m.publish));
  return Framed(RecordType::kPutOutgoing, out, [&] {
    PutU64(m.token, out);
    out->AppendU8(StageByte(m.stage));
    PutMessage(m.publish, out);
  });
}

size_t PutOutgoingRecordSize(const StoredOutgoing& m) {
  return kRecordFrameSize + 9 + MessageSize(m.publish);
}

size_t AppendOutgoingStageRecord(const OutgoingStageRecord& r, ByteBuffer* out) {
  return Framed(RecordType::kOutgoingStage, out, [&] {
    PutU64(r.token, out);
    out->AppendU8(StageByte(r.stage));
    PutU16(r.packet_id, out);
    out->AppendU8(r.dup ? 1 : 0);
  });
}

size_t AppendRemoveOutgoingRecord(uint64_t token, ByteBuffer* out) {
  return Framed(RecordType::kRemoveOutgoing, out, [&] { PutU64(token, out); });
}

absl::StatusOr<size_t> AppendPutIncomingRecord(uint16_t packet_id, const PublishPacket* held,
                                               ByteBuffer* out) {
  if (held != nullptr) OUZEL_RETURN_IF_ERROR(CheckMessage(*held, 3));
  return Framed(RecordType::kPutIncoming, out, [&] {
    PutU16(packet_id, out);
    out->AppendU8(held != nullptr ? 1 : 0);
    if (held != nullptr) PutMessage(*held, out);
  });
}

size_t AppendRemoveIncomingRecord(uint16_t packet_id, ByteBuffer* out) {
  return Framed(RecordType::kRemoveIncoming, out, [&] { PutU16(packet_id, out); });
}

size_t AppendIdentityRecord(const IdentityRecord& r, ByteBuffer* out) {
  return Framed(RecordType::kIdentity, out, [&] {
    PutU32(r.session_expiry, out);
    out->Append(r.client_id);
  });
}

size_t AppendClearRecord(ByteBuffer* out) {
  return Framed(RecordType::kClear, out, [] {});
}

size_t AppendNextTokenRecord(uint64_t next_token, ByteBuffer* out) {
  return Framed(RecordType::kNextToken, out, [&] { PutU64(next_token, out); });
}

absl::StatusOr<size_t> AppendRecord(const Record& r, ByteBuffer* out) {
  struct Visitor {
    ByteBuffer* out;
    absl::StatusOr<size_t> operator()(const HeaderRecord& h) { return AppendHeaderRecord(h, out); }
    absl::StatusOr<size_t> operator()(const StoredOutgoing& m) {
      return AppendPutOutgoingRecord(m, out);
    }
    absl::StatusOr<size_t> operator()(const OutgoingStageRecord& s) {
      return AppendOutgoingStageRecord(s, out);
    }
    absl::StatusOr<size_t> operator()(const RemoveOutgoingRecord& s) {
      return AppendRemoveOutgoingRecord(s.token, out);
    }
    absl::StatusOr<size_t> operator()(const PutIncomingRecord& s) {
      return AppendPutIncomingRecord(s.packet_id, s.held.has_value() ? &*s.held : nullptr, out);
    }
    absl::StatusOr<size_t> operator()(const RemoveIncomingRecord& s) {
      return AppendRemoveIncomingRecord(s.packet_id, out);
    }
    absl::StatusOr<size_t> operator()(const IdentityRecord& s) {
      return AppendIdentityRecord(s, out);
    }
    absl::StatusOr<size_t> operator()(const ClearRecord&) { return AppendClearRecord(out); }
    absl::StatusOr<size_t> operator()(const NextTokenRecord& s) {
      return AppendNextTokenRecord(s.next_token, out);
    }
  };
  return std::visit(Visitor{out}, r);
}

absl::StatusOr<Record> DecodeRecord(RecordType type, absl::Span<const uint8_t> payload) {
  PayloadReader r(type, payload);
  switch (type) {
    case RecordType::kHeader: {
      OUZEL_ASSIGN_OR_RETURN(absl::string_view magic, r.Bytes(kLogMagic.size(), "magic"));
      if (magic != kLogMagic) return r.Error("not an Ouzel session log (bad magic)");
      HeaderRecord h;
      OUZEL_ASSIGN_OR_RETURN(uint64_t version, r.Uint(2, "format version"));
      h.format_version = static_cast<uint16_t>(version);
      absl::string_view key = r.Rest();
      h.session_key.assign(key.data(), key.size());
      return Record(std::move(h));
    }
    case RecordType::kPutOutgoing: {
      StoredOutgoing m;
      OUZEL_ASSIGN_OR_RETURN(m.token, r.Uint(8, "token"));
      OUZEL_ASSIGN_OR_RETURN(uint64_t stage, r.Uint(1, "stage"));
      absl::StatusOr<StoredOutgoing::Stage> s = StageFromByte(static_cast<uint8_t>(stage));
      if (!s.ok()) return r.Error(s.status().message());
      m.stage = *s;
      OUZEL_ASSIGN_OR_RETURN(m.publish, GetMessage(r));
      return Record(std::move(m));
    }
    case RecordType::kOutgoingStage: {
      OutgoingStageRecord o;
      OUZEL_ASSIGN_OR_RETURN(o.token, r.Uint(8, "token"));
      OUZEL_ASSIGN_OR_RETURN(uint64_t stage, r.Uint(1, "stage"));
      absl::StatusOr<StoredOutgoing::Stage> s = StageFromByte(static_cast<uint8_t>(stage));
      if (!s.ok()) return r.Error(s.status().message());
      o.stage = *s;
      OUZEL_ASSIGN_OR_RETURN(uint64_t id, r.Uint(2, "packet id"));
      o.packet_id = static_cast<uint16_t>(id);
      OUZEL_ASSIGN_OR_RETURN(uint64_t dup, r.Uint(1, "dup"));
      if (dup > 1) return r.Error("bad dup flag");
      o.dup = dup == 1;
      OUZEL_RETURN_IF_ERROR(r.End());
      return Record(o);
    }
    case RecordType::kRemoveOutgoing: {
      RemoveOutgoingRecord o;
      OUZEL_ASSIGN_OR_RETURN(o.token, r.Uint(8, "token"));
      OUZEL_RETURN_IF_ERROR(r.End());
      return Record(o);
    }
    case RecordType::kPutIncoming: {
      PutIncomingRecord o;
      OUZEL_ASSIGN_OR_RETURN(uint64_t id, r.Uint(2, "packet id"));
      o.packet_id = static_cast<uint16_t>(id);
      OUZEL_ASSIGN_OR_RETURN(uint64_t has_held, r.Uint(1, "held flag"));
      if (has_held > 1) return r.Error("bad held flag");
      if (has_held == 1) {
        OUZEL_ASSIGN_OR_RETURN(PublishPacket p, GetMessage(r));
        o.held = std::move(p);
      }
      OUZEL_RETURN_IF_ERROR(r.End());
      return Record(std::move(o));
    }
    case RecordType::kRemoveIncoming: {
      RemoveIncomingRecord o;
      OUZEL_ASSIGN_OR_RETURN(uint64_t id, r.Uint(2, "packet id"));
      o.packet_id = static_cast<uint16_t>(id);
      OUZEL_RETURN_IF_ERROR(r.End());
      return Record(o);
    }
    case RecordType::kIdentity: {
      IdentityRecord o;
      OUZEL_ASSIGN_OR_RETURN(uint64_t expiry, r.Uint(4, "session expiry"));
      o.session_expiry = static_cast<uint32_t>(expiry);
      absl::string_view id = r.Rest();
      o.client_id.assign(id.data(), id.size());
      return Record(std::move(o));
    }
    case RecordType::kClear:
      OUZEL_RETURN_IF_ERROR(r.End());
      return Record(ClearRecord{});
    case RecordType::kNextToken: {
      NextTokenRecord o;
      OUZEL_ASSIGN_OR_RETURN(o.next_token, r.Uint(8, "next token"));
      OUZEL_RETURN_IF_ERROR(r.End());
      return Record(o);
    }
  }
  return absl::DataLossError(
      absl::StrCat("unknown record type ", static_cast<int>(static_cast<uint8_t>(type))));
}

RecordReader::Result RecordReader::Next() {
  Result res;
  res.offset = pos_;
  const size_t left = data_.size() - pos_;
  if (left == 0) return res;  // kEnd
  const uint8_t* p = data_.data() + pos_;
  bool all_zero = true;
  for (size_t i = 0; i < left && all_zero; ++i) all_zero = p[i] == 0;
  if (all_zero) {
    // What a file system leaves after a crash that extended the file but never wrote its data.
    res.outcome = Outcome::kTorn;
    res.reason = absl::StrCat(left, " zero bytes at the end (a write that never reached the disk)");
    return res;
  }
  if (left < kRecordFrameSize) {
    res.outcome = Outcome::kTorn;
    res.reason = absl::StrCat("the log ends inside a record frame (", left, " of ",
                              kRecordFrameSize, " bytes)");
    return res;
  }
  const uint32_t length = GetU32At(p + 4);
  const uint32_t stored_crc = GetU32At(p);
  if (length > kMaxRecordPayload) {
    res.outcome = Outcome::kCorrupt;
    res.reason = absl::StrCat("record length ", length, " exceeds the maximum ", kMaxRecordPayload);
    return res;
  }
  if (left - kRecordFrameSize < length) {
    // A torn write, or a damaged length that points past the end: the checksum cannot tell which
    // without the missing bytes; either way the record is unusable.
    res.outcome = Outcome::kTorn;
    res.reason = absl::StrCat("the log ends inside a record (", left, " of ",
                              kRecordFrameSize + length, " bytes present)");
    return res;
  }
  if (Crc32c(p + 4, kRecordFrameSize - 4 + length) != stored_crc) {
    res.outcome = Outcome::kCorrupt;
    res.reason = "checksum mismatch";
    return res;
  }
  const uint8_t type = p[8];
  if (type < static_cast<uint8_t>(RecordType::kHeader) ||
      type > static_cast<uint8_t>(RecordType::kNextToken)) {
    res.outcome = Outcome::kCorrupt;
    res.reason = absl::StrCat("unknown record type ", type);
    return res;
  }
  res.outcome = Outcome::kRecord;
  res.type = static_cast<RecordType>(type);
  res.payload = absl::MakeConstSpan(p + kRecordFrameSize, length);
  res.size = kRecordFrameSize + length;
  pos_ += res.size;
  return res;
}

}  // namespace ouzel
