#include "capi/src/event_codes.h"

#include "absl/strings/str_cat.h"
#include "capi/src/status_mapping.h"
#include "ouzel/client.h"
#include "ouzel/errors.h"

namespace ouzel::capi {

int32_t DropReasonCode(DropReason reason) {
  switch (reason) {
    case DropReason::kNone:
      return OUZEL_DROP_NONE;
    case DropReason::kQueueFull:
      return OUZEL_DROP_QUEUE_FULL;
    case DropReason::kSessionLost:
      return OUZEL_DROP_SESSION_LOST;
    case DropReason::kTooLarge:
      return OUZEL_DROP_TOO_LARGE;
    case DropReason::kRejected:
      return OUZEL_DROP_REJECTED;
    case DropReason::kConnectionLost:
      return OUZEL_DROP_CONNECTION_LOST;
    case DropReason::kCancelled:
      return OUZEL_DROP_CANCELLED;
  }
  return OUZEL_DROP_NONE;
}

int32_t LogLevelCode(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return OUZEL_LOG_DEBUG;
    case LogLevel::kInfo:
      return OUZEL_LOG_INFO;
    case LogLevel::kWarning:
      return OUZEL_LOG_WARNING;
    case LogLevel::kError:
      return OUZEL_LOG_ERR;
  }
  return OUZEL_LOG_INFO;
}

LogLevel EngineLogLevel(int32_t level) {
  if (level >= OUZEL_LOG_DEBUG) return LogLevel::kDebug;
  if (level >= OUZEL_LOG_ERR) return LogLevel::kError;
  if (level >= OUZEL_LOG_WARNING) return LogLevel::kWarning;
  return LogLevel::kInfo;
}

int ConnectFailCode(const ConnectFailedEvent& event, std::string* detail) {
  if (event.reason_code.has_value()) {
    *detail = event.error.ok() ? absl::StrCat(
                                     "the server refused the connection (CONNACK reason "
                                     "code ",
                                     *event.reason_code, ")")
                               : std::string(event.error.message());
    return OUZEL_EREFUSED;
  }
  detail->assign(event.error.message().data(), event.error.message().size());
  return CodeOf(event.error);
}

}  // namespace ouzel::capi
