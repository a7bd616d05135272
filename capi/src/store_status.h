// Statuses that came from a session store carry the OUZEL_E* code the application gets for them.
//
// A store failure reaches the C API through engine calls that fail for other reasons too
// (Publish: an invalid topic, a full queue, a store that cannot write), and the engine's status
// codes say nothing about where an error came from (a disk error may be kUnavailable, like a
// network error). The stores the C API builds (StoreFront, VtableStore) mark their errors with
// this payload, and status_mapping.cc honours it before anything else.
//
//   return MarkStoreError(absl::UnavailableError("put failed"), OUZEL_ESTORE);
#ifndef OUZEL_CAPI_SRC_STORE_STATUS_H_
#define OUZEL_CAPI_SRC_STORE_STATUS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/types/optional.h"

namespace ouzel::capi {

inline constexpr char kStoreErrorPayloadUrl[] = "ouzel.dev/store-error";

// `status` (not OK) marked as a store error that the C API reports as `code`.
inline absl::Status MarkStoreError(absl::Status status, int code) {
  if (!status.ok()) status.SetPayload(kStoreErrorPayloadUrl, absl::Cord(std::to_string(code)));
  return status;
}

// The code a store error is reported as; nullopt for statuses that are not store errors.
inline std::optional<int> StoreErrorCode(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kStoreErrorPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  int code = 0;
  if (!absl::SimpleAtoi(std::string(*payload), &code)) return std::nullopt;
  return code;
}

}  // namespace ouzel::capi

#endif  // OUZEL_CAPI_SRC_STORE_STATUS_H_
