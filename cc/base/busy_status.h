// BusyError: "not here, not now" — a call refused because of where or when it was made (a blocking
// call inside the client's own callback, a second thread driving the loop, connecting while
// already connecting), as opposed to a state of the connection ("not connected").
//
// Both are absl::StatusCode::kFailedPrecondition; the payload tells them apart so the C ABI can
// return OUZEL_EBUSY for one and OUZEL_ENOTCONN for the other.
//
//   if (InsideOwnCallback()) return BusyError("WaitForPublish cannot wait inside a callback");
#ifndef OUZEL_CC_BASE_BUSY_STATUS_H_
#define OUZEL_CC_BASE_BUSY_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"

namespace ouzel {

inline constexpr char kBusyPayloadUrl[] = "ouzel.dev/busy";

inline absl::Status BusyError(absl::string_view message) {
  absl::Status s = absl::FailedPreconditionError(message);
  s.SetPayload(kBusyPayloadUrl, absl::Cord("1"));
  return s;
}

inline bool IsBusy(const absl::Status& status) {
  return status.GetPayload(kBusyPayloadUrl).has_value();
}

}  // namespace ouzel

#endif  // OUZEL_CC_BASE_BUSY_STATUS_H_
