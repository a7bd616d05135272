// An application's store (ouzel/sys/store.h) as the engine's SessionStore.
//
// CStore is the vtable and user_data given to ouzel_options_set_store, shared by every
// ouzel_options and client that holds it; the last one to let go runs vtable->destroy. It calls
// the vtable one call at a time (its own lock: the Session calls in under the client's lock, but
// Flush comes from the loop thread and from ouzel_client_publish without it).
//
// VtableStore turns SessionStore calls into records (store_records.h) and claims the CStore for
// its lifetime, so two live clients never write one store.
//
//   OUZEL_ASSIGN_OR_RETURN(std::shared_ptr<CStore> cs, CStore::Create(&vtable, user_data));
//   OUZEL_ASSIGN_OR_RETURN(std::unique_ptr<VtableStore> store, VtableStore::Open(cs));
#ifndef OUZEL_CAPI_SRC_VTABLE_STORE_H_
#define OUZEL_CAPI_SRC_VTABLE_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "capi/src/store_records.h"
#include "cc/session/session_store.h"
#include "ouzel/sys/store.h"

// What `load` adds records to (ouzel_store_loader_add). The first failure sticks.
struct ouzel_store_loader {
  ouzel::capi::SessionRecords records;
  absl::Status error;
};

namespace ouzel::capi {

class CStore {
 public:
  // Checks the vtable (version, required slots) and copies the slots of its version. On failure
  // the caller keeps user_data (destroy is not called). Returns an OUZEL_E* code via Fail().
  static int Create(const ouzel_store_vtable* vtable, void* user_data,
                    std::shared_ptr<CStore>* out);
  ~CStore();  // vtable->destroy(user_data)
  CStore(const CStore&) = delete;
  CStore& operator=(const CStore&) = delete;

  // At most one VtableStore at a time.
  bool TryClaim() { return !claimed_.exchange(true); }
  void Unclaim() { claimed_.store(false); }

  // The slots, serialized. Errors are statuses marked with the code the application gets
  // (store_status.h) and a message naming the call.
  absl::Status Put(absl::string_view key, absl::string_view value);
  absl::Status Remove(absl::string_view key);
  absl::Status Clear();
  absl::Status Load(ouzel_store_loader* loader);
  absl::Status Flush();

 private:
  CStore(const ouzel_store_vtable& vtable, void* user_data) : vtable_(vtable), user_(user_data) {}

  const ouzel_store_vtable vtable_;
  void* const user_;
  std::mutex mu_;
  std::atomic<bool> claimed_{false};
};

class VtableStore final : public SessionStore {
 public:
  static constexpr uint64_t kTokenBlock = 1024;

  // OUZEL_EBUSY-marked FailedPrecondition when another client holds the store.
  static absl::StatusOr<std::unique_ptr<VtableStore>> Open(std::shared_ptr<CStore> store);
  ~VtableStore() override { store_->Unclaim(); }

  absl::Status PutOutgoing(const StoredOutgoing& message) override;
  absl::Status RemoveOutgoing(uint64_t token) override;
  absl::Status PutIncoming(uint16_t packet_id, const PublishPacket* held) override;
  absl::Status RemoveIncoming(uint16_t packet_id) override;
  absl::Status PutClientId(const std::string& client_id, uint32_t session_expiry) override;
  absl::Status Clear() override;
  absl::StatusOr<StoredSession> Load() override;
  // Overrides SessionStore::Flush once the engine has it (cc/persistence work in progress).
  absl::Status Flush();

  // Records the last Load returned.
  size_t loaded_records() const { return loaded_records_; }

 private:
  explicit VtableStore(std::shared_ptr<CStore> store) : store_(std::move(store)) {}

  std::shared_ptr<CStore> store_;
  size_t loaded_records_ = 0;
  // Tokens below this are recorded as used ("next" record). Raised a block at a time, so a new
  // process never reuses a token for one extra put per kTokenBlock messages.
  uint64_t token_watermark_ = 0;
};

}  // namespace ouzel::capi

#endif  // OUZEL_CAPI_SRC_VTABLE_STORE_H_
