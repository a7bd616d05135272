#include "capi/src/store_front.h"

#include <utility>

#include "capi/src/store_status.h"
#include "ouzel/errors.h"

namespace ouzel::capi {

absl::Status AsStoreError(absl::Status status) {
  if (status.ok() || StoreErrorCode(status).has_value()) return status;
  const int code =
      status.code() == absl::StatusCode::kResourceExhausted ? OUZEL_EQUEUEFULL : OUZEL_ESTORE;
  return MarkStoreError(std::move(status), code);
}

absl::Status StoreFront::Preload() {
  absl::StatusOr<StoredSession> loaded = inner_->Load();
  if (!loaded.ok()) return AsStoreError(loaded.status());
  restored_outgoing_ = loaded->outgoing.size();
  restored_incoming_ = loaded->incoming_held.size();
  for (uint16_t id : loaded->incoming_awaiting_pubrel) {
    bool held = false;
    for (const PublishPacket& p : loaded->incoming_held) held = held || p.packet_id == id;
    if (!held) ++restored_incoming_;
  }
  preloaded_ = *std::move(loaded);
  return absl::OkStatus();
}

absl::Status StoreFront::PutOutgoing(const StoredOutgoing& message) {
  return AsStoreError(inner_->PutOutgoing(message));
}

absl::Status StoreFront::RemoveOutgoing(uint64_t token) {
  return AsStoreError(inner_->RemoveOutgoing(token));
}

absl::Status StoreFront::PutIncoming(uint16_t packet_id, const PublishPacket* held) {
  return AsStoreError(inner_->PutIncoming(packet_id, held));
}

absl::Status StoreFront::RemoveIncoming(uint16_t packet_id) {
  return AsStoreError(inner_->RemoveIncoming(packet_id));
}

absl::Status StoreFront::PutClientId(const std::string& client_id, uint32_t session_expiry) {
  return AsStoreError(inner_->PutClientId(client_id, session_expiry));
}

absl::Status StoreFront::Clear() { return AsStoreError(inner_->Clear()); }
absl::Status StoreFront::ReserveTokens(uint64_t end) {
  return AsStoreError(inner_->ReserveTokens(end));
}

absl::StatusOr<StoredSession> StoreFront::Load() {
  if (preloaded_.has_value()) {
    StoredSession s = *std::move(preloaded_);
    preloaded_.reset();
    return s;
  }
  absl::StatusOr<StoredSession> loaded = inner_->Load();
  if (!loaded.ok()) return AsStoreError(loaded.status());
  return loaded;
}

absl::Status StoreFront::Flush() { return AsStoreError(inner_->Flush()); }

}  // namespace ouzel::capi
