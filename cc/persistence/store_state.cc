#include "cc/persistence/store_state.h"

#include <algorithm>
#include <utility>

namespace ouzel {

void StoreState::PutOutgoing(const StoredOutgoing& message) {
  PutOutgoing(StoredOutgoing(message));
}

void StoreState::PutOutgoing(StoredOutgoing&& message) {
  next_token_ = std::max(next_token_, message.token + 1);
  const uint64_t token = message.token;
  outgoing_[token] = std::move(message);
}

bool StoreState::RemoveOutgoing(uint64_t token) { return outgoing_.erase(token) > 0; }

void StoreState::PutIncoming(uint16_t packet_id, const PublishPacket* held) {
  PutIncoming(packet_id, held == nullptr ? std::nullopt : std::optional<PublishPacket>(*held));
}

void StoreState::PutIncoming(uint16_t packet_id, std::optional<PublishPacket> held) {
  incoming_[packet_id] = std::move(held);
}

bool StoreState::RemoveIncoming(uint16_t packet_id) { return incoming_.erase(packet_id) > 0; }

void StoreState::PutClientId(std::string client_id, uint32_t session_expiry) {
  client_id_ = std::move(client_id);
  session_expiry_ = session_expiry;
  has_identity_ = true;
}

void StoreState::Clear() {
  outgoing_.clear();
  incoming_.clear();
}

void StoreState::SetNextToken(uint64_t next_token) {
  next_token_ = std::max(next_token_, next_token);
}

StoredSession StoreState::ToStoredSession() const {
  StoredSession s;
  s.client_id = client_id_;
  s.session_expiry_interval = session_expiry_;
  s.next_token = next_token_;
  s.outgoing.reserve(outgoing_.size());
  for (const auto& [token, m] : outgoing_) s.outgoing.push_back(m);
  for (const auto& [id, held] : incoming_) {
    if (held.has_value()) {
      s.incoming_held.push_back(*held);
    } else {
      s.incoming_awaiting_pubrel.push_back(id);
    }
  }
  return s;
}

}  // namespace ouzel
