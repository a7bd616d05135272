// StoreFront: the SessionStore a C API client is given, in front of the real one (the file store
// or an application's VtableStore).
//
// It does three things the engine's stores do not: it marks every error with the OUZEL_E* code the
// application gets (store_status.h), so a failing disk is OUZEL_ESTORE and not a "network error";
// it loads the stored session when the client is created (Preload), so a store that cannot be
// read fails ouzel_client_new instead of starting an empty session next to the old records; and it
// remembers what was restored, for ouzel_client_persistence_report.
//
//   auto front = std::make_shared<StoreFront>(std::move(file_store));
//   if (absl::Status s = front->Preload(); !s.ok()) return FromStatus(s);
//   client_options.shared_store = front;
#ifndef OUZEL_CAPI_SRC_STORE_FRONT_H_
#define OUZEL_CAPI_SRC_STORE_FRONT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cc/persistence/file_store.h"
#include "cc/session/session_store.h"

namespace ouzel::capi {

class StoreFront final : public SessionStore {
 public:
  // `file_store`: `inner` itself when it is the file store (for its statistics), else null.
  explicit StoreFront(std::unique_ptr<SessionStore> inner, const FileStore* file_store = nullptr)
      : inner_(std::move(inner)), file_store_(file_store) {}
  // The file store's counters; zeros for any other store.
  FileStoreStats file_store_stats() const {
    return file_store_ != nullptr ? file_store_->stats() : FileStoreStats();
  }

  // Loads the stored session now; the Session's first Load() gets it.
  absl::Status Preload();
  size_t restored_outgoing() const { return restored_outgoing_; }
  size_t restored_incoming() const { return restored_incoming_; }

  absl::Status PutOutgoing(const StoredOutgoing& message) override;
  absl::Status RemoveOutgoing(uint64_t token) override;
  absl::Status PutIncoming(uint16_t packet_id, const PublishPacket* held) override;
  absl::Status RemoveIncoming(uint16_t packet_id) override;
  absl::Status PutClientId(const std::string& client_id, uint32_t session_expiry) override;
  absl::Status Clear() override;
  absl::Status ReserveTokens(uint64_t end) override;
  absl::StatusOr<StoredSession> Load() override;
  // Overrides SessionStore::Flush once the engine has it (cc/persistence work in progress).
  absl::Status Flush();

 private:
  std::unique_ptr<SessionStore> inner_;
  const FileStore* const file_store_;  // owned by inner_
  std::optional<StoredSession> preloaded_;
  size_t restored_outgoing_ = 0;
  size_t restored_incoming_ = 0;
};

// `status` marked as a store error (unless a store already marked it): a full store is
// OUZEL_EQUEUEFULL, anything else OUZEL_ESTORE.
absl::Status AsStoreError(absl::Status status);

}  // namespace ouzel::capi

#endif  // OUZEL_CAPI_SRC_STORE_FRONT_H_
