// SessionStore: what the Session tells durable storage, so a restarted process can resume.
//
// The Session calls these synchronously, in protocol order, before the bytes they describe are
// handed out for sending (a record is written before the packet it protects can be on the wire).
// The in-memory default keeps nothing; the durable file store (cc/persistence) implements it.
// Implementations must not call back into the Session.
#ifndef OUZEL_CC_SESSION_SESSION_STORE_H_
#define OUZEL_CC_SESSION_SESSION_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cc/codec/packets.h"

namespace ouzel {

// An outgoing QoS 1/2 message as stored.
struct StoredOutgoing {
  uint64_t token = 0;
  PublishPacket publish;  // full topic, never an alias-only form
  enum class Stage : uint8_t { kQueued, kPublishSent, kPubrelSent } stage = Stage::kQueued;
};

// Everything needed to resume after a restart.
struct StoredSession {
  std::string client_id;  // includes a server-assigned one (v5)
  uint32_t session_expiry_interval = 0;
  uint64_t next_token = 1;
  std::vector<StoredOutgoing> outgoing;            // in publish order
  std::vector<uint16_t> incoming_awaiting_pubrel;  // QoS 2 ids we sent PUBREC for
  std::vector<PublishPacket> incoming_held;  // Qos2Delivery::kOnPubrel messages not yet delivered
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  virtual absl::Status PutOutgoing(const StoredOutgoing& message) = 0;  // insert or update
  virtual absl::Status RemoveOutgoing(uint64_t token) = 0;
  virtual absl::Status PutIncoming(uint16_t packet_id, const PublishPacket* held) = 0;
  virtual absl::Status RemoveIncoming(uint16_t packet_id) = 0;
  virtual absl::Status PutClientId(const std::string& client_id, uint32_t session_expiry) = 0;
  // Forget everything (clean start, or the broker reported no session).
  virtual absl::Status Clear() = 0;
  // The session may hand out message tokens below `end`: a store that survives the process
  // records it (with the next Flush), and Load() then returns a next_token of at least `end`, so
  // a restarted process never hands out a token the previous one used, even for messages that
  // were never stored (QoS 0). Called once per block of tokens, not per message.
  virtual absl::Status ReserveTokens(uint64_t end) { return absl::OkStatus(); }
  // What a new Session starts from.
  virtual absl::StatusOr<StoredSession> Load() = 0;

  // Makes every record given so far durable as the store's policy promises. The client calls it
  // after taking the Session's pending output and before writing it to the transport, so a store
  // may batch the records of one loop iteration into one write (group commit). An error means the
  // records may not be durable: the client then does not send the bytes they protect.
  // The client calls it from its loop thread, possibly while another thread's Publish is in a
  // Put call: an implementation that batches must lock.
  virtual absl::Status Flush() { return absl::OkStatus(); }
};

}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_SESSION_STORE_H_
