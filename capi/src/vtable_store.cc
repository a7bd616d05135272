#include "capi/src/vtable_store.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "capi/src/status_mapping.h"
#include "capi/src/store_status.h"
#include "ouzel/errors.h"

namespace ouzel::capi {
namespace {

// The code the application sees for a slot's result (sys/store.h): a full store and memory
// exhaustion keep their meaning, `load` may also say the store is busy (locked elsewhere);
// anything else is a store error.
int ReportedCode(int rc, bool loading) {
  if (rc == OUZEL_EQUEUEFULL || rc == OUZEL_ENOMEM) return rc;
  if (loading && rc == OUZEL_EBUSY) return rc;
  return OUZEL_ESTORE;
}

absl::Status SlotError(int rc, absl::string_view call, bool loading = false) {
  const std::string what = rc > 0 ? absl::StrCat("returned ", rc, ", which is not an OUZEL_* code")
                                  : absl::StrCat("returned ", rc, " (", ouzel_strerror(rc), ")");
  absl::Status s =
      rc == OUZEL_EQUEUEFULL
          ? absl::ResourceExhaustedError(
                absl::StrCat("application store: ", call, " ", what, ": the store is full"))
          : absl::UnavailableError(absl::StrCat("application store: ", call, " ", what));
  return MarkStoreError(std::move(s), ReportedCode(rc, loading));
}

std::string Quoted(absl::string_view key) {
  return absl::StrCat("\"", absl::CHexEscape(key), "\"");
}

}  // namespace

int CStore::Create(const ouzel_store_vtable* vtable, void* user_data,
                   std::shared_ptr<CStore>* out) {
  if (vtable == nullptr || out == nullptr) return Fail(OUZEL_EINVAL, "NULL argument");
  if (vtable->version != OUZEL_STORE_VTABLE_VERSION) {
    return Fail(OUZEL_EVERSION, absl::StrCat("ouzel_store_vtable version ", vtable->version,
                                             " is not one this library knows (it knows ",
                                             OUZEL_STORE_VTABLE_VERSION, ")"));
  }
  if (vtable->put == nullptr || vtable->remove == nullptr || vtable->clear == nullptr ||
      vtable->load == nullptr) {
    return Fail(OUZEL_EINVAL, "ouzel_store_vtable: put, remove, clear and load are required");
  }
  // Only the slots of version 1 are read: a later version's struct is larger.
  ouzel_store_vtable copy{};
  copy.version = vtable->version;
  copy.put = vtable->put;
  copy.remove = vtable->remove;
  copy.clear = vtable->clear;
  copy.load = vtable->load;
  copy.flush = vtable->flush;
  copy.destroy = vtable->destroy;
  out->reset(new CStore(copy, user_data));
  return OUZEL_OK;
}

CStore::~CStore() {
  if (vtable_.destroy != nullptr) vtable_.destroy(user_);
}

absl::Status CStore::Put(absl::string_view key, absl::string_view value) {
  std::lock_guard<std::mutex> lock(mu_);
  const int rc = vtable_.put(key.data(), key.size(), value.data(), value.size(), user_);
  if (rc == OUZEL_OK) return absl::OkStatus();
  return SlotError(rc, absl::StrCat("put(", Quoted(key), ")"));
}

absl::Status CStore::Remove(absl::string_view key) {
  std::lock_guard<std::mutex> lock(mu_);
  const int rc = vtable_.remove(key.data(), key.size(), user_);
  if (rc == OUZEL_OK) return absl::OkStatus();
  return SlotError(rc, absl::StrCat("remove(", Quoted(key), ")"));
}

absl::Status CStore::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  const int rc = vtable_.clear(user_);
  if (rc == OUZEL_OK) return absl::OkStatus();
  return SlotError(rc, "clear");
}

absl::Status CStore::Load(ouzel_store_loader* loader) {
  std::lock_guard<std::mutex> lock(mu_);
  const int rc = vtable_.load(loader, user_);
  // A record that did not decode explains more than the code `load` passed on from it.
  if (!loader->error.ok()) {
    return MarkStoreError(
        absl::DataLossError(absl::StrCat("application store: load: ", loader->error.message())),
        OUZEL_ESTORE);
  }
  if (rc != OUZEL_OK) return SlotError(rc, "load", /*loading=*/true);
  return absl::OkStatus();
}

absl::Status CStore::Flush() {
  if (vtable_.flush == nullptr) return absl::OkStatus();
  std::lock_guard<std::mutex> lock(mu_);
  const int rc = vtable_.flush(user_);
  if (rc == OUZEL_OK) return absl::OkStatus();
  return SlotError(rc, "flush");
}

absl::StatusOr<std::unique_ptr<VtableStore>> VtableStore::Open(std::shared_ptr<CStore> store) {
  if (!store->TryClaim()) {
    return MarkStoreError(absl::FailedPreconditionError(
                              "the application store (ouzel_options_set_store) is in use by "
                              "another client; free that client first"),
                          OUZEL_EBUSY);
  }
  return std::unique_ptr<VtableStore>(new VtableStore(std::move(store)));
}

absl::Status VtableStore::PutOutgoing(const StoredOutgoing& message) {
  absl::StatusOr<std::string> value = EncodeOutgoing(message);
  if (!value.ok()) {
    // Only messages the session accepted get here: one that does not encode is a bug.
    return MarkStoreError(value.status(), OUZEL_EINTERNAL);
  }
  if (message.token >= token_watermark_) {
    const uint64_t next = message.token + kTokenBlock;
    if (absl::Status s = store_->Put(kNextTokenRecordKey, EncodeNextToken(next)); !s.ok()) {
      return s;
    }
    token_watermark_ = next;
  }
  return store_->Put(OutgoingKey(message.token), *value);
}

absl::Status VtableStore::RemoveOutgoing(uint64_t token) {
  return store_->Remove(OutgoingKey(token));
}

absl::Status VtableStore::PutIncoming(uint16_t packet_id, const PublishPacket* held) {
  absl::StatusOr<std::string> value = EncodeIncoming(held);
  if (!value.ok()) return MarkStoreError(value.status(), OUZEL_EINTERNAL);
  return store_->Put(IncomingKey(packet_id), *value);
}

absl::Status VtableStore::RemoveIncoming(uint16_t packet_id) {
  return store_->Remove(IncomingKey(packet_id));
}

absl::Status VtableStore::PutClientId(const std::string& client_id, uint32_t session_expiry) {
  return store_->Put(kSessionRecordKey, EncodeSessionRecord(client_id, session_expiry));
}

absl::Status VtableStore::Clear() {
  if (absl::Status s = store_->Clear(); !s.ok()) return s;
  // Clearing forgets messages, not which tokens were used.
  if (token_watermark_ == 0) return absl::OkStatus();
  return store_->Put(kNextTokenRecordKey, EncodeNextToken(token_watermark_));
}

absl::StatusOr<StoredSession> VtableStore::Load() {
  ouzel_store_loader loader;
  if (absl::Status s = store_->Load(&loader); !s.ok()) return s;
  loaded_records_ = loader.records.count();
  StoredSession s = std::move(loader.records).Finish();
  token_watermark_ = s.next_token;
  return s;
}

absl::Status VtableStore::Flush() { return store_->Flush(); }

}  // namespace ouzel::capi
