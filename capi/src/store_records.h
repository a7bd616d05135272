// The records an application store (ouzel/sys/store.h) keeps: SessionStore calls turned into
// put/remove of (key, value) pairs, and a set of records turned back into a StoredSession.
//
// Keys are printable so that any key-value system can hold them: "session", "next" (tokens below
// it were used: a new process never reuses one), "out/<token as 16 hex digits>" (string order =
// publish order), "in/<packet id as 4 hex digits>". Values start with
// a format byte (kRecordFormat); messages are stored as MQTT 5 PUBLISH packets, encoded and decoded
// by cc/codec, so every field and property survives whatever protocol the session speaks.
//
//   std::string key = OutgoingKey(m.token);
//   OUZEL_ASSIGN_OR_RETURN(std::string value, EncodeOutgoing(m));
//   ...
//   SessionRecords records;
//   OUZEL_RETURN_IF_ERROR(records.Add(key, value));
//   StoredSession s = std::move(records).Finish();
#ifndef OUZEL_CAPI_SRC_STORE_RECORDS_H_
#define OUZEL_CAPI_SRC_STORE_RECORDS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cc/codec/packets.h"
#include "cc/session/session_store.h"

namespace ouzel::capi {

// The first byte of every value; a value with another one does not decode (a store written by a
// newer library is refused rather than misread).
inline constexpr uint8_t kRecordFormat = 1;

inline constexpr absl::string_view kSessionRecordKey = "session";
inline constexpr absl::string_view kNextTokenRecordKey = "next";
std::string OutgoingKey(uint64_t token);
std::string IncomingKey(uint16_t packet_id);

absl::StatusOr<std::string> EncodeOutgoing(const StoredOutgoing& message);
// `held` may be null: the packet id alone (awaiting PUBREL, message already delivered).
absl::StatusOr<std::string> EncodeIncoming(const PublishPacket* held);
std::string EncodeSessionRecord(absl::string_view client_id, uint32_t session_expiry);
std::string EncodeNextToken(uint64_t next_token);

// Collects loaded records. Add validates one record completely (InvalidArgument naming the key
// otherwise); Finish orders the outgoing messages by token and sets next_token past the largest
// token stored or recorded as used.
class SessionRecords {
 public:
  absl::Status Add(absl::string_view key, absl::string_view value);
  size_t count() const { return count_; }
  StoredSession Finish() &&;

 private:
  size_t count_ = 0;
  bool has_session_ = false;
  std::string client_id_;
  uint32_t session_expiry_ = 0;
  uint64_t next_token_ = 1;
  std::map<uint64_t, StoredOutgoing> outgoing_;
  std::map<uint16_t, std::optional<PublishPacket>> incoming_;
};

}  // namespace ouzel::capi

#endif  // OUZEL_CAPI_SRC_STORE_RECORDS_H_
