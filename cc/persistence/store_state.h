// StoreState: the live content of a stored session, as the SessionStore calls leave it. Shared by
// MemoryStore and FileStore (which replays its log into one), so both mean the same thing.
// Not thread-safe; the stores lock around it.
#ifndef OUZEL_CC_PERSISTENCE_STORE_STATE_H_
#define OUZEL_CC_PERSISTENCE_STORE_STATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "cc/codec/packets.h"
#include "cc/session/session_store.h"

namespace ouzel {

class StoreState {
 public:
  // Outgoing messages by token: tokens grow in acceptance order, so this is publish order.
  using Outgoing = std::map<uint64_t, StoredOutgoing>;
  // Incoming QoS 2 packet ids awaiting PUBREL, with the held message (Qos2Delivery::kOnPubrel).
  using Incoming = std::map<uint16_t, std::optional<PublishPacket>>;

  void PutOutgoing(const StoredOutgoing& message);
  void PutOutgoing(StoredOutgoing&& message);
  // Returns false when the token was not stored.
  bool RemoveOutgoing(uint64_t token);
  void PutIncoming(uint16_t packet_id, const PublishPacket* held);
  void PutIncoming(uint16_t packet_id, std::optional<PublishPacket> held);
  bool RemoveIncoming(uint16_t packet_id);
  void PutClientId(std::string client_id, uint32_t session_expiry);
  // Forgets messages and packet ids; keeps next_token (tokens are never reused) and the identity.
  void Clear();
  void SetNextToken(uint64_t next_token);

  StoredSession ToStoredSession() const;

  const Outgoing& outgoing() const { return outgoing_; }
  Outgoing& mutable_outgoing() { return outgoing_; }
  const Incoming& incoming() const { return incoming_; }
  const std::string& client_id() const { return client_id_; }
  uint32_t session_expiry() const { return session_expiry_; }
  bool has_identity() const { return has_identity_; }
  uint64_t next_token() const { return next_token_; }

 private:
  Outgoing outgoing_;
  Incoming incoming_;
  std::string client_id_;
  uint32_t session_expiry_ = 0;
  bool has_identity_ = false;
  uint64_t next_token_ = 1;
};

}  // namespace ouzel

#endif  // OUZEL_CC_PERSISTENCE_STORE_STATE_H_
