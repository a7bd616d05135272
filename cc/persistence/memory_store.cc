#include "cc/persistence/memory_store.h"

namespace ouzel {

absl::Status MemoryStore::PutOutgoing(const StoredOutgoing& message) {
  std::lock_guard<std::mutex> lock(mu_);
  state_.PutOutgoing(message);
  return absl::OkStatus();
}

absl::Status MemoryStore::RemoveOutgoing(uint64_t token) {
  std::lock_guard<std::mutex> lock(mu_);
  state_.RemoveOutgoing(token);
  return absl::OkStatus();
}

absl::Status MemoryStore::PutIncoming(uint16_t packet_id, const PublishPacket* held) {
  std::lock_guard<std::mutex> lock(mu_);
  state_.PutIncoming(packet_id, held);
  return absl::OkStatus();
}

absl::Status MemoryStore::RemoveIncoming(uint16_t packet_id) {
  std::lock_guard<std::mutex> lock(mu_);
  state_.RemoveIncoming(packet_id);
  return absl::OkStatus();
}

absl::Status MemoryStore::PutClientId(const std::string& client_id, uint32_t session_expiry) {
  std::lock_guard<std::mutex> lock(mu_);
  state_.PutClientId(client_id, session_expiry);
  return absl::OkStatus();
}

absl::Status MemoryStore::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  state_.Clear();
  return absl::OkStatus();
}

absl::Status MemoryStore::ReserveTokens(uint64_t end) {
  std::lock_guard<std::mutex> lock(mu_);
  state_.SetNextToken(end);
  return absl::OkStatus();
}

absl::StatusOr<StoredSession> MemoryStore::Load() {
  std::lock_guard<std::mutex> lock(mu_);
  return state_.ToStoredSession();
}

}  // namespace ouzel
