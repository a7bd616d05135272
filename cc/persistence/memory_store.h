// MemoryStore: a SessionStore that keeps the session in memory. Nothing survives the process, but
// the session survives the Client: a new Client given the same MemoryStore resumes where the old
// one stopped (as paho's in-memory persistence). Also the reference the FileStore is tested
// against.
//
//   auto store = std::make_shared<MemoryStore>();
//   client_options.store = store.get();
//
// Thread-safe.
#ifndef OUZEL_CC_PERSISTENCE_MEMORY_STORE_H_
#define OUZEL_CC_PERSISTENCE_MEMORY_STORE_H_

#include <cstdint>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cc/persistence/store_state.h"
#include "cc/session/session_store.h"

namespace ouzel {

class MemoryStore final : public SessionStore {
 public:
  MemoryStore() = default;

  absl::Status PutOutgoing(const StoredOutgoing& message) override;
  absl::Status RemoveOutgoing(uint64_t token) override;
  absl::Status PutIncoming(uint16_t packet_id, const PublishPacket* held) override;
  absl::Status RemoveIncoming(uint16_t packet_id) override;
  absl::Status PutClientId(const std::string& client_id, uint32_t session_expiry) override;
  absl::Status Clear() override;
  absl::Status ReserveTokens(uint64_t end) override;
  absl::StatusOr<StoredSession> Load() override;

 private:
  mutable std::mutex mu_;
  StoreState state_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_PERSISTENCE_MEMORY_STORE_H_
