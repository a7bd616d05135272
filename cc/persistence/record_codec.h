// The session log's records: framing (length, type, CRC-32C) and the payload of each type.
// Layout and rationale: docs/persistence.md.
//
// Frame, little-endian:  crc32c:u32 | length:u32 | type:u8 | payload[length]
// The checksum covers length, type and payload, so a damaged length is caught too.
//
//   ByteBuffer out;
//   AppendRemoveOutgoingRecord(7, &out);
//   RecordReader r(out.span());
//   RecordReader::Result next = r.Next();  // next.outcome == kRecord, next.type, next.payload
#ifndef OUZEL_CC_PERSISTENCE_RECORD_CODEC_H_
#define OUZEL_CC_PERSISTENCE_RECORD_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cc/base/byte_buffer.h"
#include "cc/codec/packets.h"
#include "cc/session/session_store.h"

namespace ouzel {

inline constexpr size_t kRecordFrameSize = 9;  // crc, length, type
// A PUBLISH can be 256 MiB; a record holds one plus a few fields.
inline constexpr uint32_t kMaxRecordPayload = (256u << 20) + (64u << 10);
// Written in the header record; a log with a higher version is refused, not misread.
inline constexpr uint16_t kLogFormatVersion = 1;
// The header record's payload starts with these bytes, so `file` and humans can tell what it is.
inline constexpr absl::string_view kLogMagic = "OUZELSES";

enum class RecordType : uint8_t {
  kHeader = 1,          // magic, format version, session key: the first record of every log
  kPutOutgoing = 2,     // an outgoing message, whole (insert or replace)
  kOutgoingStage = 3,   // a stored message's stage, packet id and DUP changed (nothing else)
  kRemoveOutgoing = 4,  // token
  kPutIncoming = 5,     // an incoming QoS 2 packet id awaiting PUBREL, with the held message
  kRemoveIncoming = 6,  // packet id
  kIdentity = 7,        // client id and session expiry interval
  kClear = 8,           // forget messages and packet ids (not the identity or next token)
  kNextToken = 9,       // tokens below this may have been used (ReserveTokens, compaction)
};

const char* RecordTypeName(RecordType type);

struct HeaderRecord {
  uint16_t format_version = kLogFormatVersion;
  std::string session_key;
};
struct OutgoingStageRecord {
  uint64_t token = 0;
  StoredOutgoing::Stage stage = StoredOutgoing::Stage::kQueued;
  uint16_t packet_id = 0;
  bool dup = false;
};
struct RemoveOutgoingRecord {
  uint64_t token = 0;
};
struct PutIncomingRecord {
  uint16_t packet_id = 0;
  std::optional<PublishPacket> held;
};
struct RemoveIncomingRecord {
  uint16_t packet_id = 0;
};
struct IdentityRecord {
  std::string client_id;
  uint32_t session_expiry = 0;
};
struct ClearRecord {};
struct NextTokenRecord {
  uint64_t next_token = 0;
};

using Record = std::variant<HeaderRecord, StoredOutgoing, OutgoingStageRecord, RemoveOutgoingRecord,
                            PutIncomingRecord, RemoveIncomingRecord, IdentityRecord, ClearRecord,
                            NextTokenRecord>;

// Appenders: each appends one framed record to `out` and returns its size. Messages are checked
// first (InvalidArgument: QoS above 2, topic over 65,535 bytes, properties not valid in a
// PUBLISH, payload too large); on error `out` is unchanged.
size_t AppendHeaderRecord(const HeaderRecord& r, ByteBuffer* out);
absl::StatusOr<size_t> AppendPutOutgoingRecord(const StoredOutgoing& m, ByteBuffer* out);
size_t AppendOutgoingStageRecord(const OutgoingStageRecord& r, ByteBuffer* out);
size_t AppendRemoveOutgoingRecord(uint64_t token, ByteBuffer* out);
absl::StatusOr<size_t> AppendPutIncomingRecord(uint16_t packet_id, const PublishPacket* held,
                                               ByteBuffer* out);
size_t AppendRemoveIncomingRecord(uint16_t packet_id, ByteBuffer* out);
size_t AppendIdentityRecord(const IdentityRecord& r, ByteBuffer* out);
size_t AppendClearRecord(ByteBuffer* out);
size_t AppendNextTokenRecord(uint64_t next_token, ByteBuffer* out);
// Any record (tests and tools).
absl::StatusOr<size_t> AppendRecord(const Record& r, ByteBuffer* out);

// The size AppendPutOutgoingRecord would append (what FileStoreOptions::max_bytes counts).
size_t PutOutgoingRecordSize(const StoredOutgoing& m);

// Decodes a payload whose frame checked out. DataLoss naming the field when it does not parse
// (a record written by a newer version, or damage the checksum missed).
absl::StatusOr<Record> DecodeRecord(RecordType type, absl::Span<const uint8_t> payload);

// Walks the frames of a log image. Stops at the first frame that is incomplete (torn: the file
// ends inside it) or whose length or checksum is wrong (corrupt); it never reads past `data`.
class RecordReader {
 public:
  enum class Outcome { kRecord, kEnd, kTorn, kCorrupt };
  struct Result {
    Outcome outcome = Outcome::kEnd;
    RecordType type = RecordType::kHeader;
    absl::Span<const uint8_t> payload;  // kRecord: points into `data`
    size_t offset = 0;                  // where this frame starts
    size_t size = 0;                    // kRecord: the frame's size
    std::string reason;                 // kTorn / kCorrupt: what was wrong, for the report
  };

  explicit RecordReader(absl::Span<const uint8_t> data) : data_(data) {}
  Result Next();
  size_t offset() const { return pos_; }

 private:
  absl::Span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace ouzel

#endif  // OUZEL_CC_PERSISTENCE_RECORD_CODEC_H_
